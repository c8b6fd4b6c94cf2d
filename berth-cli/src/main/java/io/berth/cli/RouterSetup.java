package io.berth.cli;

import io.berth.core.Addresses;
import io.berth.router.NginxException;
import io.berth.router.Router;
import io.berth.router.RouterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Gives {@code berth dev} its router. On Debian, as root, it installs {@code nginx} when it is
 * missing (as {@link EngineSetup} installs docker.io); anywhere else, and when nginx cannot listen,
 * it says why there is no router and dev runs without one: apps are still reachable on their ports.
 */
final class RouterSetup {
  private final PrintStream out;
  private final Path dataDir;

  RouterSetup(PrintStream out, Path dataDir) {
    this.out = out;
    this.dataDir = dataDir;
  }

  /** A router for group {@code default} against dev's own API and admin token, or empty (having said why). */
  Optional<Router> start(String api, Path tokenFile, Addresses.HostPort listen) throws InterruptedException {
    String token;
    try {
      token = Files.readString(tokenFile).trim();
    } catch (IOException e) {
      out.println("berth dev: no router: cannot read the admin token in " + tokenFile + ": " + e.getMessage());
      return Optional.empty();
    }
    Path nginx = RouterConfig.DEFAULT_NGINX;
    if (!Files.isExecutable(nginx)) {
      if (!EngineSetup.isRoot() || EngineSetup.which("apt-get") == null) {
        out.println("berth dev: no router: nginx is not installed at " + nginx + " (apt-get install nginx; --no-router to go without)");
        return Optional.empty();
      }
      try {
        Packages.install(out, dataDir, "nginx");
      } catch (IOException | IllegalStateException e) {
        out.println("berth dev: no router: " + e.getMessage());
        return Optional.empty();
      }
      stopDebianService();
    }
    try {
      return Optional.of(Router.start(RouterConfig.of(api, token, "default", listen.host(), listen.port(), dataDir.resolve("router"), nginx, null),
          Clock.systemUTC()));
    } catch (NginxException e) {
      out.println("berth dev: no router: " + e.getMessage() + " (--router-listen IP:PORT to use another address, --no-router to go without)");
      return Optional.empty();
    }
  }

  /** Debian's package starts an nginx of its own on port 80 where systemd runs; the router runs its own. */
  private void stopDebianService() throws InterruptedException {
    if (EngineSetup.which("systemctl") == null) return;
    try {
      Process p = new ProcessBuilder("systemctl", "disable", "--now", "nginx").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("apt.log").toFile())).start();
      if (p.waitFor() == 0) out.println("berth dev: stopped and disabled Debian's nginx service (it takes port 80; the router runs its own nginx)");
    } catch (IOException e) {
      // no systemd here: nothing was started
    }
  }
}
