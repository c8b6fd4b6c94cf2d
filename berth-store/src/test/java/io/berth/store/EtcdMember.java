package io.berth.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One etcd process on loopback ports with its own data directory, which it keeps across a kill
 * and a start again; {@link EtcdProcess} runs one alone, {@link EtcdCluster} several as a cluster.
 */
final class EtcdMember {
  private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":\"(\\d+)\"");
  private static final Pattern LEADER = Pattern.compile("\"leader\":\"(\\d+)\"");

  private final String name;
  private final Path dir;
  private final int clientPort;
  private final int peerPort;
  private final List<String> clusterArgs;
  private Process process;

  /** {@code clusterArgs}: the flags that make it one of a cluster (initial cluster, token, timeouts). */
  EtcdMember(String name, Path dir, int clientPort, int peerPort, List<String> clusterArgs) {
    this.name = name;
    this.dir = dir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.clusterArgs = List.copyOf(clusterArgs);
  }

  String name() {
    return name;
  }

  /** {@code name=http://127.0.0.1:peerPort}, this member's entry in {@code --initial-cluster}. */
  String peer() {
    return name + "=" + peerUrl();
  }

  /** {@code 127.0.0.1:clientPort}. */
  String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Launches etcd on its data directory (new, or left by an earlier run); its log goes on in one file. */
  void launch() throws IOException {
    String clientUrl = "http://" + endpoint();
    List<String> command = new ArrayList<>(List.of("etcd", "--name", name, "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(), "--log-level", "warn"));
    command.addAll(clusterArgs);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
        .start();
  }

  /** Waits until the member reports healthy, which etcd does only while its cluster has a leader. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
        .timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("etcd " + name + " exited with " + process.exitValue() + ": " + log());
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
    throw new IOException("etcd " + name + " did not become healthy within " + timeout.toSeconds() + " s: " + log());
  }

  /**
   * Whether this member leads its cluster now, from etcd's status over its JSON gateway; false
   * when it does not answer.
   */
  boolean isLeader() throws InterruptedException {
    HttpRequest status = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/v3/maintenance/status"))
        .timeout(Duration.ofSeconds(1)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    try {
      String body = HttpClient.newHttpClient().send(status, HttpResponse.BodyHandlers.ofString()).body();
      Matcher self = MEMBER_ID.matcher(body);
      Matcher leader = LEADER.matcher(body);
      return self.find() && leader.find() && self.group(1).equals(leader.group(1));
    } catch (IOException notAnswering) {
      return false;
    }
  }

  /** SIGKILL, as a crash: no clean shutdown, the data directory stays. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGTERM, then SIGKILL if etcd takes more than 5 s. */
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  String log() throws IOException {
    Path log = dir.resolve("etcd.log");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  private String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }
}
