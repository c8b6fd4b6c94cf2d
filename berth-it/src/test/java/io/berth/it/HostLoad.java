package io.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests sent without pause through a router to one Host, from a few threads, each counted: a
 * 2xx answer by its body's first word (the version that served it), anything else — another
 * status, a refused or reset connection, a timeout — as a failure, the first one kept to show.
 */
final class HostLoad implements AutoCloseable {
  private final String host;
  private final int port;
  private final String hostHeader;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final Map<String, AtomicLong> byBody = new ConcurrentHashMap<>();
  private volatile boolean stop;
  private final Thread[] threads;
  private final long pauseMillis;

  HostLoad(String host, int port, String hostHeader, int threads) {
    this(host, port, hostHeader, threads, Duration.ZERO);
  }

  /** As above, each thread pausing {@code pause} after each request: a light, steady load. */
  HostLoad(String host, int port, String hostHeader, int threads, Duration pause) {
    this.host = host;
    this.port = port;
    this.hostHeader = hostHeader;
    this.pauseMillis = pause.toMillis();
    this.threads = new Thread[threads];
    for (int i = 0; i < threads; i++) this.threads[i] = Thread.ofVirtual().start(this::run);
  }

  private void run() {
    while (!stop) {
      String r = once(host, port, hostHeader);
      if (r.startsWith("200 ")) {
        ok.incrementAndGet();
        String word = r.substring(4).trim().split("\\s+")[0];
        byBody.computeIfAbsent(word, k -> new AtomicLong()).incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, r);
      }
      if (pauseMillis > 0) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One GET with {@code Host: hostHeader}: {@code "STATUS BODY"}, or {@code "error …"}. */
  static String once(String host, int port, String hostHeader) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.1 ")) return "error: no HTTP answer: " + text;
      String status = text.substring(9, 12);
      int body = text.indexOf("\r\n\r\n");
      return status + " " + (body < 0 ? "" : text.substring(body + 4));
    } catch (IOException e) {
      return "error: " + e;
    }
  }

  long ok() {
    return ok.get();
  }

  long failed() {
    return failed.get();
  }

  String firstFailure() {
    return firstFailure.get();
  }

  long served(String firstWord) {
    AtomicLong n = byBody.get(firstWord);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) t.join(10_000);
  }
}
