package io.berth.cli;

import io.berth.manager.ManagerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The Receptor API's flags, shared by {@code berth manage} and {@code berth dev}: its Basic user and CORS, as Diego's receptor takes them. */
final class ReceptorOptions {
  @Option(names = "--receptor-user", paramLabel = "USER",
      description = "Accept Basic credentials USER:PASSWORD on the Receptor API's routes, as the Berth user USER (its roles apply).")
  String user;

  @Option(names = "--receptor-password-file", paramLabel = "FILE", description = "The file whose first line is --receptor-user's password.")
  Path passwordFile;

  @Option(names = "--cors", description = "Answer CORS on the Receptor API's routes: any Origin, with credentials (off by default).")
  boolean cors;

  /** The flags as the manager takes them; the password file is read now, so a bad one stops the start with one line. */
  ManagerConfig.Receptor receptor() {
    return ManagerConfig.Receptor.of(user, passwordFile, cors);
  }
}
