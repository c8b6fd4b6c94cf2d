package io.berth.store;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-member etcd for integration tests, on free loopback ports with a throw-away
 * data directory; shipped in the test-jar so other modules' ITs can start one too.
 */
public final class EtcdProcess implements AutoCloseable {
  private final EtcdMember member;
  private final Path dataDir;

  private EtcdProcess(EtcdMember member, Path dataDir) {
    this.member = member;
    this.dataDir = dataDir;
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
    int peer = freePort();
    EtcdMember member = new EtcdMember("default", dataDir, freePort(), peer,
        List.of("--initial-cluster", "default=http://127.0.0.1:" + peer));
    EtcdProcess etcd = new EtcdProcess(member, dataDir);
    try {
      member.launch();
      member.awaitHealthy(Duration.ofSeconds(15));
    } catch (IOException | RuntimeException | InterruptedException e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  /** {@code 127.0.0.1:port}. */
  public String endpoint() {
    return member.endpoint();
  }

  /** The store URL for this etcd. */
  public String url() {
    return "etcd://" + endpoint();
  }

  @Override
  public void close() {
    try {
      member.stop();
      deleteTree(dataDir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes a test's directory; one left behind is not worth failing a test for. */
  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory left behind is not worth failing a test for
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
