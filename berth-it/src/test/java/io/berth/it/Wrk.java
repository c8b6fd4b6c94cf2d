package io.berth.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's {@code wrk} run through a router to one Host, and what it counted: requests, non-2xx answers, socket errors. */
record Wrk(long requests, long non2xx, long socketErrors, String output) {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /** Runs {@code wrk -t1 -cCONNECTIONS} for {@code length} against {@code http://HOST:PORT/} with {@code Host: hostHeader}. */
  static Wrk run(String host, int port, String hostHeader, int connections, Duration length) throws Exception {
    return run(host, port, hostHeader, connections, length, "/");
  }

  /** As above, against {@code path}. */
  static Wrk run(String host, int port, String hostHeader, int connections, Duration length, String path) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + length.toSeconds() + "s", "--timeout", "10s",
        "-H", "Host: " + hostHeader, "http://" + host + ":" + port + path).redirectErrorStream(true).start();
    if (!p.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk did not end within " + (length.toSeconds() + 30) + " s");
    }
    return parse(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Reads wrk's summary; no "requests in" line is a run that did not happen, an error. */
  static Wrk parse(String out) {
    Matcher r = REQUESTS.matcher(out);
    if (!r.find()) throw new IllegalStateException("wrk printed no summary:\n" + out);
    Matcher n = NON_2XX.matcher(out);
    Matcher s = SOCKET.matcher(out);
    long socket = 0;
    if (s.find()) for (int i = 1; i <= 4; i++) socket += Long.parseLong(s.group(i));
    return new Wrk(Long.parseLong(r.group(1)), n.find() ? Long.parseLong(n.group(1)) : 0, socket, out);
  }

  long failed() {
    return non2xx + socketErrors;
  }
}
