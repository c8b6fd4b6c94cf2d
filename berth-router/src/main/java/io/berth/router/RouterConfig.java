package io.berth.router;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one router needs.
 *
 * @param manager the manager's Berth API, e.g. {@code http://10.0.0.1:8080}
 * @param listenPort where apps are served; 0 picks a free port (for tests)
 * @param statusPort the loopback port of nginx's status server; 0 picks a free one
 * @param id the name it reports under; null: {@code HOSTNAME-GROUP-PORT}
 * @param heartbeat how often it posts its status when nothing changes (the manager keeps it ~10 s)
 * @param pollWait how long the manager may hold a route table long poll
 */
public record RouterConfig(String manager, String token, String group, String listenHost, int listenPort, Path dataDir,
                           Path nginx, String id, int statusPort, String workerProcesses, Duration heartbeat, Duration pollWait) {
  /** Where Debian's nginx package puts the binary. */
  public static final Path DEFAULT_NGINX = Path.of("/usr/sbin/nginx");

  public RouterConfig {
    manager = manager.endsWith("/") ? manager.substring(0, manager.length() - 1) : manager;
    if (!group.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) throw new IllegalArgumentException("group must be a simple name (letters, digits, . _ -), not '" + group + "'");
    if (id != null && id.isBlank()) id = null;
  }

  /** The usual router: status port picked, workers per core, a status every 2.5 s (the contract asks for 3 s at most), 30 s polls. */
  public static RouterConfig of(String manager, String token, String group, String listenHost, int listenPort,
                                Path dataDir, Path nginx, String id) {
    return new RouterConfig(manager, token, group, listenHost, listenPort, dataDir, nginx, id, 0, "auto",
        Duration.ofMillis(2500), Duration.ofSeconds(30));
  }

  /** {@code HOSTNAME-GROUP-PORT}: unique per machine, and the same across restarts. */
  static String defaultId(String group, int port) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "router");
    }
    return host + "-" + group + "-" + port;
  }
}
