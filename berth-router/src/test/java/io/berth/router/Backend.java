package io.berth.router;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A tiny app instance: answers {@code NAME host=HOST} on every path; {@code /slow} first waits a second. */
final class Backend implements AutoCloseable {
  private final HttpServer server;
  final String name;

  Backend(String name) {
    this.name = name;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        if (ex.getRequestURI().getPath().equals("/slow")) Thread.sleep(1000);
        byte[] body = (name + " host=" + ex.getRequestHeaders().getFirst("Host") + "\n").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
