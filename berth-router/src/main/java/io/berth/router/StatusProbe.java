package io.berth.router;

import io.berth.cluster.PidFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells when a config is live: its marker is answered by the status server (only its workers know
 * it), and no older worker still accepts connections.
 */
final class StatusProbe {
  private static final long POLL_MS = 20;
  private final int port;

  StatusProbe(int port) {
    this.port = port;
  }

  /** What the status server answers now, or null when nothing answers. */
  String served() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(1000);
      // HTTP/1.0: nginx closes after answering, so no kept-alive connection can pin an old worker.
      OutputStream out = s.getOutputStream();
      out.write(("GET " + NginxConfig.REVISION_PATH + " HTTP/1.0\r\nHost: berth-router\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      int body = answer.indexOf("\r\n\r\n");
      return answer.startsWith("HTTP/1.1 200") && body >= 0 ? answer.substring(body + 4) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Polls until {@code marker} is served; false when {@code master} dies or the deadline ({@link System#nanoTime()}) passes. */
  boolean awaitMarker(Process master, String marker, long deadline) {
    while (System.nanoTime() < deadline && master.isAlive()) {
      if (marker.equals(served())) return true;
      if (!sleep(POLL_MS)) return false;
    }
    return false;
  }

  /**
   * New workers answering the marker is not enough: until an old worker takes its shutdown signal
   * it still accepts connections on the shared port. It closes its listening sockets as it retitles
   * itself "worker process is shutting down" (then finishes its requests), or it is gone.
   */
  static boolean awaitRetired(List<ProcessHandle> old, long deadline) {
    while (true) {
      boolean all = true;
      for (ProcessHandle h : old) {
        String title = h.isAlive() ? title(h) : "";
        if (!title.isEmpty() && !title.contains("shutting down") && !title.contains("cache")) all = false;
      }
      if (all) return true;
      if (System.nanoTime() > deadline || !sleep(5)) return false;
    }
  }

  /** The title nginx gave a process, from {@code /proc}; empty when it is gone (or a zombie). */
  static String title(ProcessHandle h) {
    return PidFile.commandLine(h.pid());
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
