package io.berth.router;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Requests with any Host header (the JDK's HttpClient refuses to set one), over a fresh connection each. */
final class Http {
  private Http() {}

  /** One answer: the status code and the body. */
  record Answer(int status, String body) {}

  static Answer get(int port, String host, String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int body = answer.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(answer.substring(9, 12)), body < 0 ? "" : answer.substring(body + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Answer get(int port, String host) {
    return get(port, host, "/");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
