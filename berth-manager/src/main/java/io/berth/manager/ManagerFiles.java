package io.berth.manager;

import io.berth.cluster.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What a manager leaves in its data dir for clients on the same machine: {@code admin.token}
 * (mode 0600, written once, when the cluster is created) and {@code manager.json} (where its API is).
 */
public final class ManagerFiles {
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String INFO = "manager.json";
  private final Path dir;

  public ManagerFiles(Path dir) {
    this.dir = dir;
  }

  void writeAdminToken(String token) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(ADMIN_TOKEN);
      Files.deleteIfExists(f);
      Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(f, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + dir + ": " + e.getMessage(), e);
    }
  }

  void writeInfo(ManagerConfig c, int apiPort) {
    String host = c.apiAddr().getAddress().isAnyLocalAddress() ? "127.0.0.1" : c.apiAddr().getHostString();
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(INFO), Json.bytes(Map.of("api", "http://" + host + ":" + apiPort, "store", c.storeUrl())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + INFO + " to " + dir + ": " + e.getMessage(), e);
    }
  }
}
