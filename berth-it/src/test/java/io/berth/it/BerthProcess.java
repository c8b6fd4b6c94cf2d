package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real {@code berth} program (the shaded jar the build just made) run as a process, its
 * output kept in a log file the test can wait on.
 */
final class BerthProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("berth.jar", "../berth-cli/target/berth.jar")).toAbsolutePath();
  private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();
  private final Process process;
  private final Path log;
  private final String name;

  private BerthProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code berth ARGS}, logging to {@code logDir/name.log}. */
  static BerthProcess start(String name, Path logDir, String... args) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + STARTS.incrementAndGet() + ".log"); // one per start: a restart's log is new
    ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().remove("BERTH_API");
    pb.environment().remove("BERTH_TOKEN");
    return new BerthProcess(name, pb.start(), log);
  }

  /** Starts another program the cluster needs beside berth (haproxy), logging as {@link #start} does. */
  static BerthProcess exec(String name, Path logDir, List<String> command) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + STARTS.incrementAndGet() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new BerthProcess(name, p, log);
  }

  /** Runs {@code berth ARGS} to completion and returns its exit code and output. */
  static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    return runWithStdin(timeout, null, args);
  }

  /** Runs {@code berth ARGS} fed {@code stdin} (null: none), to completion. */
  static Result runWithStdin(Duration timeout, String stdin, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("berth-run", ".out");
    Path err = Files.createTempFile("berth-run", ".err");
    ProcessBuilder pb = new ProcessBuilder(command(CLIENT_FLAGS, args)).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("BERTH_API");
    pb.environment().remove("BERTH_TOKEN");
    Process p = pb.start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("berth " + String.join(" ", args) + " did not finish within " + timeout);
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** A command that runs for a moment starts a third faster on the C1 compiler and the serial collector. */
  private static final List<String> CLIENT_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static List<String> command(String... args) {
    return command(List.of(), args);
  }

  private static List<String> command(List<String> jvmFlags, String... args) {
    if (!Files.exists(JAR)) throw new IllegalStateException("no berth jar at " + JAR + ": build berth-cli first");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx256m"));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Waits until the log has a line matching {@code regex}; fails with the log's tail if not. */
  String awaitLine(String regex, Duration timeout) throws IOException, InterruptedException {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // Only whole lines: the process may be half-way through writing the last one.
      String text = Files.readString(log);
      for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
        if (p.matcher(line).find()) return line;
      }
      if (!process.isAlive()) break;
      Thread.sleep(50);
    }
    throw new AssertionError(name + ": no line matching /" + regex + "/ within " + timeout
        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; log:\n" + Files.readString(log));
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  long pid() {
    return process.pid();
  }

  /**
   * Appends the process's thread dump to its log ({@code jcmd PID Thread.print}, from the process's own JDK)
   * and returns the log's path: for a test that timed out waiting on this process, what each thread was doing.
   */
  Path dumpThreads() throws IOException, InterruptedException {
    if (!process.isAlive()) return log;
    Path jcmd = Path.of(process.info().command().orElse("java")).resolveSibling("jcmd");
    Files.writeString(log, "\n==== thread dump (the test waited too long) ====\n", java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills with SIGKILL: no shutdown hook runs, as in a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops with SIGTERM and waits. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) stop();
  }

  /** A finished command. */
  record Result(int exit, String out, String err) {}
}
