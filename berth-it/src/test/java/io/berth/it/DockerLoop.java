package io.berth.it;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** {@code docker ps} and {@code docker run -d} then {@code rm -f}, through haproxy, in a loop, each timed. */
final class DockerLoop implements AutoCloseable {
  record Run(String command, long startNanos, long endNanos, int exit, String err) {}

  private final ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
  private volatile boolean stop;
  private final Thread thread;

  DockerLoop(String host) {
    thread = Thread.ofVirtual().start(() -> {
      int n = 0;
      while (!stop) {
        run(host, "ps", "-q");
        String name = "ha-loop-" + n++;
        if (run(host, "run", "-d", "-m", "8m", "--name", name, "berth/busybox:1", "sleep", "60").exit() == 0) run(host, "rm", "-f", name);
      }
    });
  }

  private Run run(String host, String... args) {
    long t0 = System.nanoTime();
    try {
      DockerCli.Result r = DockerCli.run(host, List.of(), null, args);
      Run done = new Run(String.join(" ", args), t0, System.nanoTime(), r.exit(), r.err());
      runs.add(done);
      return done;
    } catch (Exception | AssertionError e) {
      Run hung = new Run(String.join(" ", args), t0, System.nanoTime(), -1, "no answer: " + e.getMessage());
      runs.add(hung);
      return hung;
    }
  }

  int runs() {
    return runs.size();
  }

  List<Run> failures() {
    return runs.stream().filter(r -> r.exit() != 0).toList();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }
}
