package io.berth.manager.http.lean;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an acceptor (the lean server's, the Docker endpoint's) does after an accept fails: make room, pause,
 * and say so in the log at a pace a person can read. The failure that matters is the process running out
 * of file descriptors ({@code EMFILE}): the connection stays queued in the kernel, so an acceptor that
 * retried at once spun on one core and wrote a warning per try (seven million lines in two and a half
 * minutes at ~8,500 hollow nodes under a limit of 20,000). Now the pauses double from 1 ms to 1 s while
 * the failures go on, and one line every {@link #LOG_EVERY_NANOS} at most tells what failed, how often,
 * and the process's open files and limit.
 */
public final class AcceptFailures {
  static final long FIRST_PAUSE_NANOS = 1_000_000L;
  static final long MAX_PAUSE_NANOS = 1_000_000_000L;
  /**
   * Idle connections closed (through {@link FileRoom}) for each accept that finds the process out of file
   * descriptors (nginx closes up to 32): few, since the room made is taken by whoever asks first, and each one
   * closed costs its client a handshake.
   */
  static final int ROOM_PER_ACCEPT = 8;
  static final long LOG_EVERY_NANOS = 10_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
  /**
   * The process's file counts, looked up when the server starts: the lookup loads a native library, which takes a
   * file descriptor, and the first use came when none was left, which ended the acceptor's thread.
   */
  private static final UnixOperatingSystemMXBean OS = unix();
  private int streak;
  private long unreported;
  private long shedUnreported;
  private long lastReportNanos;
  private boolean reportedOnce;

  /**
   * After a failed accept: closes idle connections through {@link FileRoom} when the process is out of descriptors,
   * counts the failure, logs through {@code warn} at most every {@link #LOG_EVERY_NANOS}, and pauses. Nothing it
   * meets ends the caller's loop: an acceptor that stopped would leave its endpoint deaf for good.
   */
  public void handle(IOException e, Consumer<String> warn) {
    long pause = MAX_PAUSE_NANOS;
    try {
      int made = FileRoom.outOfFiles(e) ? FileRoom.PROCESS.make(ROOM_PER_ACCEPT) : 0;
      pause = failed(made, System.nanoTime());
      report(e, System.nanoTime()).ifPresent(warn);
    } catch (RuntimeException | LinkageError x) {
      log.error("accept-failure-not-handled: {} after {}", x, e.toString());
    }
    pause(pause);
  }

  /**
   * Counts a failed accept at {@code nowNanos}, after which {@code shed} idle connections were closed to make
   * room; returns how long to pause before the next accept.
   */
  long failed(int shed, long nowNanos) {
    unreported++;
    shedUnreported += shed;
    long pause = Math.min(MAX_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(streak, 20));
    streak++;
    return pause;
  }

  /** An accept succeeded: the next failure starts from the shortest pause again. */
  public void accepted() {
    streak = 0;
  }

  /**
   * The line to log now about the failures counted since the last one, or empty when one was logged less than
   * {@link #LOG_EVERY_NANOS} ago or there is nothing new.
   */
  Optional<String> report(IOException last, long nowNanos) {
    if (unreported == 0 || (reportedOnce && nowNanos - lastReportNanos < LOG_EVERY_NANOS)) return Optional.empty();
    StringBuilder s = new StringBuilder().append(last.getMessage() == null ? last.toString() : last.getMessage())
        .append(" (").append(unreported).append(unreported == 1 ? " accept" : " accepts").append(" failed");
    if (reportedOnce) s.append(" in the last ").append((nowNanos - lastReportNanos) / 1_000_000_000L).append(" s");
    s.append(')');
    if (FileRoom.outOfFiles(last)) {
      s.append(files().map(f -> "; open files " + f).orElse(""))
          .append(shedUnreported == 0 ? "; no idle connection to close" : "; closed " + shedUnreported + " idle connections to make room")
          .append(". Each node holds two or three of the manager's files: raise its limit (LimitNOFILE, ulimit -n)");
    }
    unreported = 0;
    shedUnreported = 0;
    lastReportNanos = nowNanos;
    reportedOnce = true;
    return Optional.of(s.toString());
  }

  /** "OPEN of a limit of LIMIT" for this process, where the JVM can tell; empty where it cannot count them now. */
  static Optional<String> files() {
    if (OS == null) return Optional.empty();
    try {
      long open = OS.getOpenFileDescriptorCount(); // reads /proc/self/fd: itself needs a descriptor
      return Optional.of((open < 0 ? "?" : Long.toString(open)) + " of a limit of " + OS.getMaxFileDescriptorCount());
    } catch (RuntimeException | InternalError e) {
      return Optional.of("? of a limit of " + OS.getMaxFileDescriptorCount());
    }
  }

  private static UnixOperatingSystemMXBean unix() {
    try {
      return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u ? u : null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static void pause(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
