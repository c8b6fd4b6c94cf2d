package io.berth.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} run through a router to one Host, and what it counted: requests, requests per
 * second, non-2xx answers, socket errors.
 */
record Wrk(long requests, double perSecond, long non2xx, long socketErrors, String output) {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /**
   * Starts {@code wrk -t1 -cCONNECTIONS} against {@code http://HOST:PORT/PATH} with {@code Host: hostHeader}
   * for at most {@code length}: a test stops it with {@link Running#stop} once what the load was for has
   * happened, rather than waiting out a fixed length.
   */
  static Running start(String host, int port, String hostHeader, int connections, Duration length, String path) throws IOException {
    Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + length.toSeconds() + "s", "--timeout", "10s",
        "-H", "Host: " + hostHeader, "http://" + host + ":" + port + path).redirectErrorStream(true).start();
    return new Running(p, length);
  }

  /** A wrk that runs; closing it without {@link #stop} or {@link #await} kills it. */
  record Running(Process process, Duration length) implements AutoCloseable {
    /** Ends the run now with SIGINT, on which wrk stops its connections and prints its summary; that summary. */
    Wrk stop() throws Exception {
      if (process.isAlive()) new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      return await();
    }

    /** Waits for the run to end (its length, and 30 s more at most); its summary. */
    Wrk await() throws Exception {
      if (!process.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("wrk did not end within " + (length.toSeconds() + 30) + " s");
      }
      return parse(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Reads wrk's summary; no "requests in" line is a run that did not happen, an error. */
  static Wrk parse(String out) {
    Matcher r = REQUESTS.matcher(out);
    if (!r.find()) throw new IllegalStateException("wrk printed no summary:\n" + out);
    Matcher rate = PER_SECOND.matcher(out);
    Matcher n = NON_2XX.matcher(out);
    Matcher s = SOCKET.matcher(out);
    long socket = 0;
    if (s.find()) for (int i = 1; i <= 4; i++) socket += Long.parseLong(s.group(i));
    return new Wrk(Long.parseLong(r.group(1)), rate.find() ? Double.parseDouble(rate.group(1)) : 0, n.find() ? Long.parseLong(n.group(1)) : 0,
        socket, out);
  }

  long failed() {
    return non2xx + socketErrors;
  }
}
