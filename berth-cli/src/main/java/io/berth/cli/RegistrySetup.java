package io.berth.cli;

import io.berth.manager.registry.RegistryConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gives {@code berth dev} its image registry. On Debian, as root, it installs {@code docker-registry}
 * when it is missing (as {@link RouterSetup} installs nginx) and stops the service the package starts
 * on port 5000 (the manager runs its own, with token auth); elsewhere it says why there is no registry
 * and dev runs without one.
 */
final class RegistrySetup {
  private final PrintStream out;
  private final Path dataDir;

  RegistrySetup(PrintStream out, Path dataDir) {
    this.out = out;
    this.dataDir = dataDir;
  }

  /** The registry for the manager to run on {@code addr}, or empty (having said why). */
  Optional<RegistryConfig> ensure(InetSocketAddress addr) throws InterruptedException {
    Path binary = RegistryConfig.DEFAULT_BINARY;
    if (!Files.isExecutable(binary)) {
      if (!EngineSetup.isRoot() || EngineSetup.which("apt-get") == null) {
        out.println("berth dev: no image registry: docker-registry is not installed at " + binary
            + " (apt-get install docker-registry; --no-registry to go without)");
        return Optional.empty();
      }
      try {
        Packages.install(out, dataDir, "docker-registry");
      } catch (IOException | IllegalStateException e) {
        out.println("berth dev: no image registry: " + e.getMessage());
        return Optional.empty();
      }
      stopDebianService();
    }
    return Optional.of(new RegistryConfig(addr, dataDir.resolve("registry"), binary));
  }

  /** Debian's package starts a registry of its own, without auth, on port 5000 where systemd runs. */
  private void stopDebianService() throws InterruptedException {
    if (EngineSetup.which("systemctl") == null) return;
    try {
      Process p = new ProcessBuilder("systemctl", "disable", "--now", "docker-registry").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("apt.log").toFile())).start();
      if (p.waitFor() == 0) {
        out.println("berth dev: stopped and disabled Debian's docker-registry service (it takes port 5000 without auth; the manager runs its own)");
      }
    } catch (IOException e) {
      // no systemd here: nothing was started
    }
  }
}
