package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code wrk --latency} run through a router, and what its summary says. */
final class Wrk {
  private final Process process;
  private final Path out;

  private Wrk(Process process, Path out) {
    this.process = process;
    this.out = out;
  }

  /** What wrk printed: requests, the wall time they took, failures and the 99th percentile. */
  record Result(long requests, double seconds, long non2xx, long socketErrors, double p99Millis, String socketSplit) {
    /** wrk's own failures: responses of status 400 and above, and connect, read, write and timeout errors. */
    long failed() {
      return non2xx + socketErrors;
    }

    double perSecond() {
      return seconds > 0 ? requests / seconds : 0;
    }

    /**
     * Reads wrk's summary; {@code p99Millis} is NaN without {@code --latency}. A text without the
     * "N requests in" line (wrk did not run) is refused with that text.
     */
    static Result parse(String text) {
      Matcher total = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)\\b").matcher(text);
      if (!total.find()) throw new IllegalStateException("wrk said:\n" + text);
      long sockErr = 0;
      String split = "";
      Matcher m = Pattern.compile("Socket errors: (connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+))").matcher(text);
      if (m.find()) {
        for (int i = 2; i <= 5; i++) sockErr += Long.parseLong(m.group(i));
        split = m.group(1);
      }
      Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(text);
      Matcher p99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s|m)\\b").matcher(text);
      return new Result(Long.parseLong(total.group(1)), millis(total.group(2), total.group(3)) / 1000,
          non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, sockErr, p99.find() ? millis(p99.group(1), p99.group(2)) : Double.NaN, split);
    }

    /** wrk's units: us, ms, s and m (minutes). */
    static double millis(String number, String unit) {
      double x = Double.parseDouble(number);
      return switch (unit) {
        case "us" -> x / 1000;
        case "ms" -> x;
        case "s" -> x * 1000;
        case "m" -> x * 60_000;
        default -> throw new IllegalArgumentException("unit " + unit);
      };
    }
  }

  /** Starts {@code wrk -t2 -cN --latency} against {@code url} with {@code Host: host}, for at most {@code seconds}. */
  static Wrk start(String url, String host, int connections, int seconds) throws IOException {
    Path out = Files.createTempFile("wrk", ".txt");
    Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "5s",
        "-H", "Host: " + host, url).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new Wrk(p, out);
  }

  /** Waits for wrk to end its duration by itself; its summary. */
  Result await() throws IOException, InterruptedException {
    process.waitFor();
    return Result.parse(Files.readString(out));
  }

  /** Stops wrk now; its summary. */
  Result stop() throws IOException, InterruptedException {
    // wrk prints its summary only at the end of its duration: SIGINT makes it stop early and print it.
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    return await();
  }
}
