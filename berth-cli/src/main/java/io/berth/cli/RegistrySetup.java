package io.berth.cli;

import io.berth.manager.registry.RegistryConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gives {@code berth dev} its image registry. On Debian, as root, it installs {@code docker-registry}
 * when it is missing (as {@link RouterSetup} installs nginx) and stops the service the package starts
 * on port 5000 (the manager runs its own, with token auth); elsewhere it says why there is no registry
 * and dev runs without one.
 */
record RegistrySetup(PrintStream out, Path dataDir) {

  /** The registry for the manager to run on {@code addr}, or empty (having said why). */
  Optional<RegistryConfig> ensure(InetSocketAddress addr) throws InterruptedException {
    Path binary = RegistryConfig.DEFAULT_BINARY;
    // Debian's package starts a registry of its own, without auth, on port 5000 where systemd runs.
    if (!Packages.ensure(out, dataDir, "image registry", "docker-registry", binary, "--no-registry",
        "it takes port 5000 without auth; the manager runs its own")) {
      return Optional.empty();
    }
    return Optional.of(new RegistryConfig(addr, dataDir.resolve("registry"), binary));
  }
}
