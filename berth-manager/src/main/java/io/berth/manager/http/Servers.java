package io.berth.manager.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Starts JDK HTTP(S) servers on virtual threads, turning bind failures into one clear sentence. */
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

  /** HTTPS on {@code addr}, TLS 1.3, asking (not requiring) a client certificate: routes decide. */
  public static HttpsServer https(String what, InetSocketAddress addr, SSLContext tls, Routes routes) {
    try {
      HttpsServer s = HttpsServer.create(addr, 128);
      s.setHttpsConfigurator(new HttpsConfigurator(tls) {
        @Override
        public void configure(HttpsParameters p) {
          SSLParameters sp = tls.getDefaultSSLParameters();
          sp.setProtocols(new String[] {"TLSv1.3"});
          sp.setWantClientAuth(true);
          p.setSSLParameters(sp);
        }
      });
      return start(s, routes);
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
