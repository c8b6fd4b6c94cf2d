package io.berth.router;

import io.berth.cluster.wire.RouteTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a route table into a whole {@code nginx.conf}: pure text, no I/O. Every name that comes
 * from the table is checked against a strict pattern before it is written, so a domain, address or
 * guid can never add a directive; what fails the check is left out and named in {@link Rendered#errors()}.
 */
final class NginxConfig {
  /** Host names as DNS spells them: dot-separated labels of letters, digits and inner hyphens. */
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
  /** Characters a data dir may hold so that it can stand inside a quoted nginx string. */
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/ +@%,=:~-]+");
  static final String NO_APP = "no app serves this host\\n";
  static final String REVISION_PATH = "/__berth/revision";
  private final Path dir;
  private final String listen;
  private final int statusPort;
  private final String workerProcesses;
  private final int accessLogPort;

  /** As below, with no access log. */
  NginxConfig(Path dir, String listenHost, int listenPort, int statusPort, String workerProcesses) {
    this(dir, listenHost, listenPort, statusPort, workerProcesses, 0);
  }

  /**
   * @param dir the router's data dir: pid, logs and temp paths go under it
   * @param listenHost the address the app servers listen on ({@code 0.0.0.0}, an IP, or {@code [::]})
   * @param statusPort the loopback port of the status server that answers the live revision
   * @param workerProcesses {@code auto} or a number
   * @param accessLogPort the loopback UDP port the domains' servers log each request to ({@link AccessLog}); 0: no log
   */
  NginxConfig(Path dir, String listenHost, int listenPort, int statusPort, String workerProcesses, int accessLogPort) {
    String d = dir.toAbsolutePath().normalize().toString();
    if (!SAFE_PATH.matcher(d).matches()) throw new IllegalArgumentException("the router's data dir " + d + " has characters an nginx config cannot hold");
    String host = listenHost.startsWith("[") ? listenHost.substring(1, listenHost.length() - 1) : listenHost;
    if (!isIp(host.toLowerCase(Locale.ROOT)) && !HOST_NAME.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
      throw new IllegalArgumentException("listen address must be an IP address, not '" + listenHost + "'");
    }
    if (listenPort < 1 || listenPort > 65535 || statusPort < 1 || statusPort > 65535 || accessLogPort < 0 || accessLogPort > 65535) {
      throw new IllegalArgumentException("ports must be 1-65535: listen " + listenPort + ", status " + statusPort + ", access log " + accessLogPort);
    }
    if (!workerProcesses.equals("auto") && !workerProcesses.matches("[1-9][0-9]{0,2}")) {
      throw new IllegalArgumentException("worker processes must be auto or a number, not '" + workerProcesses + "'");
    }
    this.dir = Path.of(d);
    this.listen = hostPort(host, listenPort);
    this.statusPort = statusPort;
    this.workerProcesses = workerProcesses;
    this.accessLogPort = accessLogPort;
  }

  /**
   * One rendering: the config text, the marker its status server answers (so a reload can be seen
   * to have taken effect), and what it routes.
   *
   * @param instances the instance guids the config sends traffic to, each once
   * @param errors one sentence per domain or upstream left out
   * @param names the domains served, as nginx names them in {@code $server_name}
   */
  record Rendered(String text, String marker, long revision, int domains, int upstreams,
                         List<String> instances, List<String> errors, List<String> names) {
    public Rendered {
      instances = List.copyOf(instances);
      errors = List.copyOf(errors);
      names = List.copyOf(names);
    }
  }

  /**
   * Renders {@code table}; {@code generation} counts renderings, so two configs of one revision
   * (a restarted manager may repeat one) still have different markers.
   */
  Rendered render(RouteTable table, long generation) {
    String marker = table.revision() + "-" + generation;
    List<String> errors = new ArrayList<>();
    Set<String> instances = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    List<String> names = new ArrayList<>();
    StringBuilder servers = new StringBuilder();
    int domains = 0;
    int upstreams = 0;
    for (RouteTable.Domain d : table.domains()) {
      String name = d.domain() == null ? "" : d.domain().toLowerCase(Locale.ROOT);
      if (!HOST_NAME.matcher(name).matches()) {
        errors.add("domain '" + printable(d.domain()) + "' is not a host name; left out");
        continue;
      }
      if (!seen.add(name)) {
        errors.add("domain " + name + " is listed twice; the first kept");
        continue;
      }
      List<String> lines = new ArrayList<>();
      for (RouteTable.Upstream u : d.upstreams()) {
        String address = u.address() == null ? "" : u.address().toLowerCase(Locale.ROOT);
        if (!(isIp(address) || HOST_NAME.matcher(address).matches()) || u.port() < 1 || u.port() > 65535) {
          errors.add("domain " + name + ": upstream '" + printable(u.address()) + ":" + u.port() + "' is not an address; left out");
          continue;
        }
        lines.add("    server " + hostPort(address, u.port()) + " max_fails=1 fail_timeout=2s; # "
            + comment(u.processGuid()) + "/" + u.index() + " " + comment(u.instanceGuid()) + "\n");
        if (u.instanceGuid() != null) instances.add(u.instanceGuid());
      }
      domains++;
      names.add(name);
      upstreams += lines.size();
      server(servers, name, d.app(), "berth_" + domains, lines);
    }
    String text = head(table, marker, domains) + servers + "}\n";
    return new Rendered(text, marker, table.revision(), domains, upstreams, List.copyOf(instances), errors, names);
  }

  /** One domain's upstream of {@code lines} (when it has any) and its server, which answers 503 without them. */
  private void server(StringBuilder servers, String name, String app, String upstream, List<String> lines) {
    servers.append("\n  # ").append(name).append(": app ").append(comment(app)).append(", ")
        .append(lines.size()).append(lines.size() == 1 ? " instance\n" : " instances\n");
    if (!lines.isEmpty()) {
      servers.append("  upstream ").append(upstream).append(" {\n");
      lines.forEach(servers::append);
      servers.append("    keepalive 16;\n  }\n");
    }
    servers.append("  server {\n    listen ").append(listen).append(";\n    server_name ").append(name).append(";\n");
    if (lines.isEmpty()) {
      servers.append("    location / { return 503 \"no healthy instance of ").append(word(app)).append("\\n\"; }\n");
    } else {
      servers.append("    location / { proxy_pass http://").append(upstream).append("; }\n");
    }
    servers.append("  }\n");
  }

  /** Everything before the domains' servers: the process, the http block's settings and its two fixed servers. */
  private String head(RouteTable table, String marker, int domains) {
    String d = dir.toString();
    return "# Rendered by berth router from route table " + comment(table.group()) + " revision " + table.revision()
        + ". The router rewrites this file: do not edit it.\n"
        + "daemon off;\n"
        + "worker_processes " + workerProcesses + ";\n"
        + "pid \"" + d + "/nginx.pid\";\n"
        + "error_log \"" + d + "/error.log\" warn;\n"
        + "events { worker_connections 4096; }\n"
        + "http {\n"
        + httpSettings(d, domains)
        + accessLog()
        + PROXY_SETTINGS
        + "\n"
        + fixedServers(marker);
  }

  private static String httpSettings(String d, int domains) {
    return "  server_tokens off;\n"
        // Every route change is a reload, and an old worker closes its idle keep-alive connections
        // when it quits: a request a client sent at that instant is lost (wrk counts a read error;
        // only some clients retry). One request per client connection closes that window.
        + "  keepalive_timeout 0;\n"
        + "  default_type text/plain;\n"
        + "  server_names_hash_bucket_size 128;\n"
        + "  server_names_hash_max_size " + Math.max(1024, Integer.highestOneBit(Math.max(1, domains) * 2) * 2) + ";\n"
        + "  client_body_temp_path \"" + d + "/temp/client_body\";\n"
        + "  proxy_temp_path \"" + d + "/temp/proxy\";\n"
        + "  fastcgi_temp_path \"" + d + "/temp/fastcgi\";\n"
        + "  uwsgi_temp_path \"" + d + "/temp/uwsgi\";\n"
        + "  scgi_temp_path \"" + d + "/temp/scgi\";\n";
  }

  /**
   * The access log the router counts traffic from, when it reads one: one unbuffered syslog datagram
   * per request to its loopback port (syslog cannot be buffered; a datagram costs one send and no disk).
   * The fixed servers below turn it off: unknown hosts and the status probe are no app's traffic.
   */
  private String accessLog() {
    if (accessLogPort == 0) return "  access_log off;\n";
    return "  log_format " + AccessLog.FORMAT_NAME + " escape=none '" + AccessLog.FORMAT + "';\n"
        + "  access_log syslog:server=127.0.0.1:" + accessLogPort + ",tag=" + AccessLog.TAG + ",nohostname " + AccessLog.FORMAT_NAME + ";\n";
  }

  private static final String PROXY_SETTINGS =
      // Workers may run as nobody, who cannot always reach the data dir: stream bodies instead of spooling them.
      "  proxy_request_buffering off;\n"
      + "  proxy_max_temp_file_size 0;\n"
      + "  map $http_upgrade $berth_connection { default upgrade; '' ''; }\n"
      + "  proxy_http_version 1.1;\n"
      + "  proxy_set_header Host $host;\n"
      + "  proxy_set_header Upgrade $http_upgrade;\n"
      + "  proxy_set_header Connection $berth_connection;\n"
      + "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
      + "  proxy_set_header X-Forwarded-Proto $scheme;\n"
      + "  proxy_connect_timeout 1s;\n"
      // A request to an instance that just died is retried on another one.
      + "  proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n";

  /** The default server (404 for an unknown host) and the status server the router reads the loaded marker from. */
  private String fixedServers(String marker) {
    String noLog = accessLogPort == 0 ? "" : "    access_log off;\n";
    return "  server {\n"
        + "    listen " + listen + " default_server;\n"
        + "    server_name _;\n"
        + noLog
        + "    location / { return 404 \"" + NO_APP + "\"; }\n"
        + "  }\n"
        + "  server {\n"
        + "    listen 127.0.0.1:" + statusPort + ";\n"
        + noLog
        + "    location = " + REVISION_PATH + " { return 200 \"" + marker + "\"; }\n"
        + "    location / { return 404; }\n"
        + "  }\n";
  }

  private static boolean isIp(String host) {
    return host.matches("(\\d{1,3}\\.){3}\\d{1,3}") || IPV6.matcher(host).matches() && host.length() <= 45;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Text fit for a comment or a quoted word: anything else becomes '_'. */
  private static String comment(String s) {
    return s == null || s.isEmpty() ? "-" : s.replaceAll("[^A-Za-z0-9._:@-]", "_");
  }

  private static String word(String app) {
    return app == null || app.isEmpty() ? "this app" : comment(app);
  }

  /** For error messages: the name as sent, control characters shown as '?'. */
  private static String printable(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
  }
}
