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
record RouterSetup(PrintStream out, Path dataDir) {

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
    if (!Packages.ensure(out, dataDir, "router", "nginx", nginx, "--no-router", "it takes port 80; the router runs its own nginx")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Router.start(RouterConfig.of(api, token, "default", listen.host(), listen.port(), dataDir.resolve("router"), nginx, null),
          Clock.systemUTC()));
    } catch (NginxException e) {
      out.println("berth dev: no router: " + e.getMessage() + " (--router-listen IP:PORT to use another address, --no-router to go without)");
      return Optional.empty();
    }
  }
}
