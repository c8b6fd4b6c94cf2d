package io.berth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Installs Debian packages with apt-get, printing progress and keeping apt's output in a log. */
final class Packages {
  private Packages() {}

  static void install(PrintStream out, Path dataDir, String... packages) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path log = dataDir.resolve("apt.log");
    String names = String.join(" ", packages);
    out.println("berth dev: installing " + names + " with apt-get (log: " + log + ") ...");
    run(log, "apt-get", "update", "-q");
    ProcessBuilder pb = new ProcessBuilder(concat(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"), packages));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    if (run(pb, log) != 0) {
      throw new IllegalStateException("apt-get could not install " + names + "; see " + log);
    }
    out.println("berth dev: installed " + names);
  }

  /**
   * Whether {@code binary} is there for berth dev's {@code what} ("router"), installing package
   * {@code pkg} as root with apt-get when it is missing; when it cannot be, says why on {@code out}
   * and that {@code flag} ("--no-router") goes without. The Debian service the package starts is
   * stopped and disabled ({@code why} says what it was in the way of): berth runs its own.
   */
  static boolean ensure(PrintStream out, Path dataDir, String what, String pkg, Path binary, String flag, String why)
      throws InterruptedException {
    if (Files.isExecutable(binary)) return true;
    if (!EngineSetup.isRoot() || EngineSetup.which("apt-get") == null) {
      out.println("berth dev: no " + what + ": " + pkg + " is not installed at " + binary + " (apt-get install " + pkg + "; " + flag
          + " to go without)");
      return false;
    }
    try {
      install(out, dataDir, pkg);
    } catch (IOException | IllegalStateException e) {
      out.println("berth dev: no " + what + ": " + e.getMessage());
      return false;
    }
    stopService(out, dataDir, pkg, why);
    return true;
  }

  /** Debian's packages start their service where systemd runs; berth dev runs its own in its place. */
  private static void stopService(PrintStream out, Path dataDir, String service, String why) throws InterruptedException {
    if (EngineSetup.which("systemctl") == null) return;
    try {
      Process p = new ProcessBuilder("systemctl", "disable", "--now", service).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("apt.log").toFile())).start();
      if (p.waitFor() == 0) out.println("berth dev: stopped and disabled Debian's " + service + " service (" + why + ")");
    } catch (IOException e) {
      // no systemd here: nothing was started
    }
  }

  private static int run(Path log, String... cmd) throws IOException, InterruptedException {
    return run(new ProcessBuilder(cmd), log);
  }

  private static int run(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return p.waitFor();
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
