package io.berth.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A Docker endpoint that only lists containers, always the same bytes: the floor for {@code docker ps}
 * over many rows, which is the CLI's own reading and formatting with no daemon work at all.
 */
final class StaticDocker implements AutoCloseable {
  private final HttpServer server;

  StaticDocker(byte[] containers) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] body = path.endsWith("/containers/json") ? containers : path.equals("/_ping") ? "OK".getBytes() : "{\"message\":\"no\"}".getBytes();
      ex.getResponseHeaders().set("Api-Version", "1.41");
      ex.getResponseHeaders().set("Content-Type", path.equals("/_ping") ? "text/plain" : "application/json");
      int status = path.endsWith("/containers/json") || path.equals("/_ping") ? 200 : 404;
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
      } else {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    server.start();
  }

  String host() {
    return "tcp://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
