package io.berth.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import io.berth.core.metrics.MetricRegistry;
import io.berth.core.metrics.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@code GET /metrics} on {@code --metrics-addr}: plain HTTP without authentication, as
 * dockerd's own {@code --metrics-addr} (bind it to an address only the scraper reaches). Every
 * other path is a 404.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code addr}. A busy address is an error when the operator chose it ({@code explicit});
   * the default's being busy (another agent on this host, or dockerd's own metrics) is a warning and no server.
   */
  public static Optional<MetricsServer> start(InetSocketAddress addr, boolean explicit, MetricRegistry registry) {
    HttpServer s;
    try {
      s = HttpServer.create(addr, 16);
    } catch (IOException e) {
      String why = e instanceof BindException ? "the address is in use or not available on this machine" : e.getMessage();
      if (explicit) {
        throw new IllegalStateException("cannot serve the agent's metrics on --metrics-addr " + addr.getHostString() + ":" + addr.getPort()
            + ": " + why, e);
      }
      log.warn("agent-metrics-off addr={}:{}: {} (choose another with --metrics-addr HOST:PORT, or --metrics-addr off)",
          addr.getHostString(), addr.getPort(), why);
      return Optional.empty();
    }
    s.createContext("/", ex -> {
      try (ex) {
        boolean metrics = ex.getRequestURI().getPath().equals("/metrics");
        boolean get = ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD");
        byte[] body = !metrics ? "404 page not found: the agent serves /metrics only\n".getBytes(StandardCharsets.UTF_8)
            : !get ? "405 method not allowed: GET /metrics\n".getBytes(StandardCharsets.UTF_8)
            : registry.scrape().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", metrics && get ? PrometheusText.CONTENT_TYPE : "text/plain; charset=utf-8");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(!metrics ? 404 : !get ? 405 : 200, head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
      }
    });
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.start();
    log.info("agent-metrics-serving addr={}:{}", addr.getHostString(), s.getAddress().getPort());
    return Optional.of(new MetricsServer(s));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
