package io.berth.manager.build;

import io.berth.store.KeyValue;
import io.berth.store.Watch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Streams a run's log as it grows ({@code ?follow=1}): the chunks kept so far, then each new one as
 * the store's watch brings it, until the run has ended and its last chunk is written. Works on any
 * manager, whichever one the node reports to.
 */
final class LogFollow {
  /** How long a follow waits between looks when no change wakes it: a missed watch event only delays a line. */
  static final Duration LOOK = Duration.ofSeconds(1);
  /**
   * The longest a follow lasts: past any run's timeout (24 h at most) and a long queue. A client that
   * went away is noticed only when a line is written, so a run that never starts must not hold its follow for ever.
   */
  static final Duration LONGEST = Duration.ofHours(26);
  private final BuildStore store;
  private final String build;
  private final int number;
  private final Object changed = new Object();

  LogFollow(BuildStore store, String build, int number) {
    this.store = store;
    this.build = build;
    this.number = number;
  }

  void write(OutputStream out) throws IOException {
    try (Watch logs = store.raw().watch(BuildStore.logs(build, number), 0, e -> wake());
         Watch run = store.raw().watch(BuildStore.runKey(build, number), 0, e -> wake())) {
      String last = "";
      long deadline = System.nanoTime() + LONGEST.toNanos();
      while (System.nanoTime() < deadline) {
        boolean ended = store.run(build, number).map(Run::ended).orElse(true); // read before the chunks: none is missed
        List<KeyValue> chunks = store.logChunks(build, number);
        for (KeyValue kv : chunks) {
          if (kv.key().compareTo(last) <= 0) continue;
          out.write(kv.value());
          last = kv.key();
        }
        out.flush();
        if (ended) {
          store.run(build, number).ifPresent(r -> ended(out, r));
          return;
        }
        synchronized (changed) {
          changed.wait(LOOK.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void ended(OutputStream out, Run r) {
    try {
      out.write(summary(r).getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException gone) {
      // the client went away at the very end
    }
  }

  /** The run's last line: how it ended, and why when it failed. */
  static String summary(Run r) {
    return "run " + r.number() + " " + (r.state() == null ? r.outcome() : r.state()) + (r.failedStep() == null ? "" : " at " + r.failedStep())
        + (r.message() == null ? "" : ": " + r.message()) + (r.image() == null || !Run.OK.equals(r.state()) ? "" : ", image " + r.image())
        + "\n";
  }

  private void wake() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }
}
