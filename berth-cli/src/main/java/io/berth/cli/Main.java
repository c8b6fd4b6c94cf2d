package io.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The berth command. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A container cloud: the Docker API over a cluster, LRPs, apps and routing.")
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (v == null ? "dev" : v)};
    }
  }
}
