package io.berth.router;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one router needs.
 *
 * @param manager the managers' Berth API URLs, e.g. {@code http://10.0.0.1:8080,http://10.0.0.2:8080}: the
 *     router starts with the first and learns the others' from the route table answers
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
    manager = String.join(",", managerUrls("--manager", manager)); // a malformed entry is refused before anything starts
    if (!group.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) throw new IllegalArgumentException("group must be a simple name (letters, digits, . _ -), not '" + group + "'");
    if (id != null && id.isBlank()) id = null;
  }

  /** The usual router: status port picked, workers per core, a status every 2.5 s (the contract asks for 3 s at most), 30 s polls. */
  public static RouterConfig of(String manager, String token, String group, String listenHost, int listenPort,
                                Path dataDir, Path nginx, String id) {
    return new RouterConfig(manager, token, group, listenHost, listenPort, dataDir, nginx, id, 0, "auto",
        Duration.ofMillis(2500), Duration.ofSeconds(30));
  }

  /** The managers' API URLs, in the order given. */
  public List<String> managers() {
    return managerUrls("--manager", manager);
  }

  /**
   * Splits a list of manager API URLs ({@code http://a:8080,http://b:8080}), without trailing
   * slashes; a blank or malformed entry is an {@link IllegalArgumentException} that names it.
   */
  public static List<String> managerUrls(String flag, String list) {
    if (list == null || list.isBlank()) throw new IllegalArgumentException(flag + ": give at least one URL, e.g. http://10.0.0.1:8080");
    List<String> out = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      String e = entry.trim();
      while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
      if (e.isEmpty()) throw new IllegalArgumentException(flag + ": an empty entry in '" + list + "'");
      URI uri;
      try {
        uri = new URI(e);
      } catch (URISyntaxException bad) {
        uri = null;
      }
      if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getQuery() != null || uri.getFragment() != null) {
        throw new IllegalArgumentException(flag + " takes http:// or https:// URLs such as http://10.0.0.1:8080, not '" + e + "'");
      }
      if (!out.contains(e)) out.add(e);
    }
    return List.copyOf(out);
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
