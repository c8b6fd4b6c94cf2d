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

/** The berth jar run as processes for whole-system benchmarks, and small probes of them. */
final class BerthJar {
  static final Path JAR = Path.of(System.getProperty("berth.jar", "berth-cli/target/berth.jar")).toAbsolutePath();
  /** The checkout's launcher, {@code ./berth}. */
  static final Path LAUNCHER = JAR.getParent().getParent().getParent().resolve("berth");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private BerthJar() {}

  static Process start(Path log, String... args) throws IOException {
    return start(log, List.of(), args);
  }

  /** As {@link #start(Path, String...)}, with options for the JVM (system properties). */
  static Process start(Path log, List<String> jvm, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * {@code berth ARGS} through the checkout's launcher, as a user runs it: with the JVM options it gives the command
   * (for {@code dev}: C1 alone, the serial collector, its start-up cache), then {@code javaOpts}, then the bench's own
   * {@code BERTH_JAVA_OPTS} (a later flag wins: {@code BERTH_JAVA_OPTS=-XX:TieredStopAtLevel=4} brings C2 back). The
   * launcher execs the JVM, so the process is the JVM itself.
   */
  static Process launch(Path log, String javaOpts, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("BERTH_NO_BUILD", "1"); // the jar scripts/bench just built; the launcher never rebuilds
    pb.environment().put("BERTH_JAVA_OPTS", (javaOpts + " " + System.getenv().getOrDefault("BERTH_JAVA_OPTS", "")).strip());
    return pb.start();
  }

  /**
   * A logging set-up like the jar's own (its pattern, its quiet libraries) with {@code debugLoggers} at debug,
   * for a process started with {@code -Dlogback.configurationFile}: the timing lines benches read.
   */
  static String logback(String... debugLoggers) {
    StringBuilder debug = new StringBuilder();
    for (String logger : debugLoggers) debug.append("  <logger name=\"").append(logger).append("\" level=\"DEBUG\"/>\n");
    return """
        <configuration>
          <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} %msg%n</pattern></encoder>
          </appender>
          <logger name="io.grpc" level="WARN"/>
          <logger name="io.netty" level="WARN"/>
          <logger name="io.vertx" level="WARN"/>
          <logger name="io.etcd" level="WARN"/>
          <logger name="com.github.dockerjava" level="WARN"/>
          <logger name="org.apache.hc" level="WARN"/>
        """ + debug + """
          <root level="INFO"><appender-ref ref="STDERR"/></root>
        </configuration>
        """;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** GETs an API path with the admin token of {@code dataDir}; null when it does not answer 200. */
  static String get(int port, Path dataDir, String path) {
    try {
      HttpResponse<String> r = HTTP.send(request(port, dataDir, path, Duration.ofSeconds(2)), HttpResponse.BodyHandlers.ofString());
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
      return HTTP.send(request(port, dataDir, path, timeout), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A GET of an API path on the local manager, with the admin token of {@code dataDir} when it has one. */
  private static HttpRequest request(int port, Path dataDir, String path, Duration timeout) throws IOException {
    Path token = dataDir.resolve("admin.token");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
    if (Files.exists(token)) b.header("Authorization", "Bearer " + Files.readString(token).trim());
    return b.build();
  }

  /** POSTs {@code body} to an API path with the admin token of {@code mdata}; anything but a 2xx is an exception. */
  static void post(int api, Path mdata, String path, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path))
        .header("Authorization", "Bearer " + Files.readString(mdata.resolve("admin.token")).trim())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
  }

  /** DELETEs an API path with the admin token of {@code mdata}; anything but a 2xx is an exception. */
  static void delete(int api, Path mdata, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path))
        .header("Authorization", "Bearer " + Files.readString(mdata.resolve("admin.token")).trim()).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
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
