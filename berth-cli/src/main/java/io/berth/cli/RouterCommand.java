package io.berth.cli;

import io.berth.core.Addresses;
import io.berth.router.Router;
import io.berth.router.RouterConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth router}: nginx driven by the routes the manager publishes for one router group. */
@Command(name = "router", mixinStandardHelpOptions = true,
    description = {"Run a router: a local nginx that serves the routes the manager publishes for one router group.",
        "nginx runs as a child process with its config, pid and logs in --data; a new route table is a reload, which keeps connections."})
final class RouterCommand implements Callable<Integer> {
  @Option(names = "--manager", paramLabel = "URL[,URL…]",
      description = {"The manager's Berth API (default: $BERTH_API, else the local manager's, else http://127.0.0.1:8080).",
          "Several managers' URLs, comma-separated: the router learns the others from one, and moves when its manager stops answering."})
  String manager;

  @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $BERTH_TOKEN, else the local manager's admin.token).")
  String token;

  @Option(names = "--group", defaultValue = "default", paramLabel = "NAME", description = "The router group whose routes it serves (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(names = "--listen", defaultValue = "0.0.0.0:80", paramLabel = "IP:PORT", description = "Where apps are served (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--data", paramLabel = "DIR", description = "nginx's config, pid and logs (default: ~/.berth/router-GROUP).")
  Path data;

  @Option(names = "--nginx", paramLabel = "PATH", description = "The nginx binary (default: /usr/sbin/nginx).")
  Path nginx;

  @Option(names = "--id", paramLabel = "ID", description = "The name it reports under (default: HOSTNAME-GROUP-PORT).")
  String id;

  @Override
  public Integer call() throws Exception {
    Addresses.HostPort at = Addresses.parse("--listen", listen);
    Path managerDir = DataDir.defaultDir();
    String url = ClientOptions.api(manager, managerDir).orElse("http://127.0.0.1:8080");
    Path dir = (data != null ? data : managerDir.resolve("router-" + group)).toAbsolutePath();
    RouterConfig config = RouterConfig.of(url, ClientOptions.token(token, managerDir), group, at.host(), at.port(), dir,
        nginx != null ? nginx : RouterConfig.DEFAULT_NGINX, id);
    try (Lifetime life = new Lifetime()) {
      life.add(DataDir.lock(dir, "router", "berth router"));
      Router router = life.add(Router.start(config, Clock.systemUTC()));
      System.out.println("berth router ready: group " + group + " on " + router.listen() + ", nginx " + router.nginxVersion()
          + ", manager " + url + " (id " + router.id() + ")");
      life.awaitShutdown();
    }
    return 0;
  }
}
