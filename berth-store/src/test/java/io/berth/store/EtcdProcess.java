package io.berth.store;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-member etcd for integration tests, on free loopback ports with a throw-away
 * data directory; shipped in the test-jar so other modules' ITs can start one too.
 */
public final class EtcdProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final int clientPort;

  private EtcdProcess(Process process, Path dataDir, int clientPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
  }

  /** Skips the calling test when etcd is not installed, or fails it when env {@code CI} is set. */
  public static void assumeInstalled() {
    if (onPath("etcd")) {
      return;
    }
    String why = "etcd is not on PATH (install etcd-server); skipping etcd tests";
    if (System.getenv("CI") != null) {
      Assertions.fail(why.replace("skipping", "CI requires"));
    }
    Assumptions.abort(why);
  }

  /** Starts etcd and waits until it reports healthy. */
  public static EtcdProcess start() throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("berth-etcd-");
    int client = freePort();
    int peer = freePort();
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    Process process = new ProcessBuilder(List.of("etcd", "--name", "default", "--data-dir", dataDir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "default=" + peerUrl, "--log-level", "warn"))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("etcd.log").toFile())
        .start();
    EtcdProcess etcd = new EtcdProcess(process, dataDir, client);
    try {
      etcd.awaitHealthy(Duration.ofSeconds(15));
    } catch (IOException | RuntimeException | InterruptedException e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  /** {@code 127.0.0.1:port}. */
  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  /** The store URL for this etcd. */
  public String url() {
    return "etcd://" + endpoint();
  }

  private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
        .timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("etcd exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new IOException("etcd did not become healthy within " + timeout.toSeconds() + " s: " + log());
  }

  private String log() throws IOException {
    Path log = dataDir.resolve("etcd.log");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (IOException e) {
      // a temp directory left behind is not worth failing a test for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
