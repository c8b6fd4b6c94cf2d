package io.berth.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file of a child process (the registry, nginx) in its data dir, and the check a new
 * parent makes on start: a predecessor killed with SIGKILL leaves its children running, holding
 * their ports and serving an old config, so one whose command line still names this dir is
 * stopped (SIGTERM, then SIGKILL after a grace) before a new child starts.
 */
public final class PidFile {
  private static final Logger log = LoggerFactory.getLogger(PidFile.class);
  private static final long POLL_MS = 20;
  private final Path file;

  public PidFile(Path file) {
    this.file = file;
  }

  /** Records a started child's pid; a pid file that cannot be written only costs the next start's check. */
  public void write(long pid) {
    try {
      Files.writeString(file, pid + "\n");
    } catch (IOException e) {
      log.warn("pid-file-unwritten file={}: {}", file, e.getMessage());
    }
  }

  /** The pid recorded, if the file holds one. */
  public Optional<Long> read() {
    try {
      return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).strip())) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops the recorded process when its command line (from {@code /proc}, arguments joined by
   * spaces) satisfies {@code ours}; a process that reused the pid is left alone. Returns the pid
   * of the one stopped (the caller logs it in its own words).
   */
  public Optional<Long> stopLeftOver(String what, Predicate<String> ours, Duration grace) {
    Optional<Long> pid = read();
    if (pid.isEmpty()) return pid;
    Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
    String cmdline = commandLine(pid.get());
    if (h.isEmpty() || cmdline.isEmpty() || !ours.test(cmdline)) return Optional.empty();
    h.get().destroy();
    if (awaitGone(pid.get(), grace)) return pid;
    log.warn("left-over-killed what={} pid={}: it ignored SIGTERM for {} ms", what, pid.get(), grace.toMillis());
    h.get().destroyForcibly();
    if (!awaitGone(pid.get(), grace)) log.warn("left-over-alive what={} pid={}: it survived SIGKILL", what, pid.get());
    return pid;
  }

  /** A process's arguments joined by spaces (nginx's master retitles itself here); empty when it is gone or exiting. */
  public static String commandLine(long pid) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Whether a process still runs: some thread of it is neither gone nor a zombie. Not our child,
   * so nobody may reap it soon: a thread turns zombie only after it let go of the files it shares,
   * and the last one to let go closes them, so a process whose every thread is a zombie has closed
   * its ports. The leader alone does not say it: in a multi-threaded process (the registry is Go)
   * it shows {@code Z} while other threads still hold the listening socket. (An empty command
   * line comes earlier still.)
   */
  static boolean running(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try (var tasks = Files.list(proc.resolve("task"))) {
      return tasks.anyMatch(t -> live(t.resolve("stat")));
    } catch (IOException | java.io.UncheckedIOException e) {
      return live(proc.resolve("stat")); // gone by now, or a /proc without task dirs
    }
  }

  private static boolean live(Path stat) {
    try {
      String s = Files.readString(stat);
      int end = s.lastIndexOf(')'); // the name in parentheses may hold anything
      char state = end >= 0 && end + 2 < s.length() ? s.charAt(end + 2) : 'X';
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean awaitGone(long pid, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (running(pid)) {
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
