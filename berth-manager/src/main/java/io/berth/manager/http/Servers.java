package io.berth.manager.http;

import com.sun.net.httpserver.HttpServer;
import io.berth.manager.http.lean.LeanServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** Starts the API's JDK HTTP server and the agents' {@link LeanServer}, both on virtual threads, turning bind failures into one clear sentence. */
public final class Servers {
  private Servers() {}

  /** Plain HTTP on {@code addr}. */
  public static HttpServer http(String what, InetSocketAddress addr, Routes routes) {
    try {
      HttpServer s = HttpServer.create(addr, 128);
      return start(s, routes);
    } catch (IOException e) {
      throw bindFailure(what, addr, e);
    }
  }

  /**
   * HTTPS on {@code addr} for the agents: TLS 1.3, asking (not requiring) a client certificate (routes decide),
   * on Berth's {@link LeanServer}, which holds thousands of kept-alive connections cheaply, each until it is silent
   * for {@code idle}.
   */
  public static LeanServer https(String what, InetSocketAddress addr, SSLContext tls, Duration idle, Routes routes) {
    try {
      return LeanServer.start(addr, tls, routes, idle);
    } catch (IOException e) {
      throw bindFailure(what, addr, e);
    }
  }

  private static <S extends HttpServer> S start(S s, Routes routes) {
    s.createContext("/", routes);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.start();
    return s;
  }

  private static IllegalStateException bindFailure(String what, InetSocketAddress addr, IOException e) {
    String why = e instanceof BindException ? "the address is in use or not available on this machine" : e.getMessage();
    return new IllegalStateException("cannot listen for the " + what + " on " + addr.getHostString() + ":" + addr.getPort() + ": " + why, e);
  }
}
