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
