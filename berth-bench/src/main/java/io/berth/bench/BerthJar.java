package io.berth.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The berth jar run as processes for whole-system benchmarks, and small probes of them. */
final class BerthJar {
  static final Path JAR = Path.of(System.getProperty("berth.jar", "berth-cli/target/berth.jar")).toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private BerthJar() {}

  static Process start(Path log, String... args) throws IOException {
    return start(log, Map.of(), args);
  }

  /** As {@link #start(Path, String...)}, with {@code env} added to the process's environment. */
  static Process start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().putAll(env);
    return b.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** GETs an API path with the admin token of {@code dataDir}; null when it does not answer 200. */
  static String get(int port, Path dataDir, String path) {
    try {
      Path token = dataDir.resolve("admin.token");
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2));
      if (Files.exists(token)) b.header("Authorization", "Bearer " + Files.readString(token).trim());
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Reads a streamed answer (a followed log) to its end, throwing the text away; false when it could not be had. */
  static boolean follow(int port, Path dataDir, String path, Duration timeout) {
    try {
      Path token = dataDir.resolve("admin.token");
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
      if (Files.exists(token)) b.header("Authorization", "Bearer " + Files.readString(token).trim());
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Resident memory of a process in MiB, from /proc. */
  static long rssMib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
    }
    return -1;
  }

  /** Runs the docker CLI against {@code host}; milliseconds it took, CLI start included. Fails when the command does. */
  static double timeDocker(String host, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(List.of(args));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) throw new IllegalStateException("failed: " + String.join(" ", cmd));
    return (System.nanoTime() - t0) / 1e6;
  }

  static void await(Process p, Path log, String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(text)) return;
      if (!p.isAlive()) break;
      Thread.sleep(20);
    }
    throw new IllegalStateException("no '" + text + "' in " + log + ":\n" + Files.readString(log));
  }
}
