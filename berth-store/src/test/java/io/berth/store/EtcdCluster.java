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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Several real etcd processes as one cluster on loopback ports the caller chooses, each with its
 * own data directory, for tests of quorum loss and return: {@link #stop} SIGKILLs a member and
 * {@link #start} brings it back on its data. Short raft timeouts (heartbeat 50 ms, election
 * 500 ms) keep elections fast, and watches hear of progress every 500 ms (etcd: 10 min). Shipped
 * in the test-jar beside {@link EtcdProcess}.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Path dir;
  private final List<EtcdMember> members;

  private EtcdCluster(Path dir, List<EtcdMember> members) {
    this.dir = dir;
    this.members = members;
  }

  /**
   * Starts {@code n} members on free ports and waits until every one is healthy. A port found free can be taken
   * before etcd binds it (the kernel hands it to another test's outgoing connection), so a member that cannot bind
   * its port makes the whole cluster start again on other ports, up to three times.
   */
  public static EtcdCluster startOnFreePorts(int n) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Set<Integer> ports = new LinkedHashSet<>();
      while (ports.size() < 2 * n) {
        ports.add(EtcdProcess.freePort());
      }
      List<Integer> all = List.copyOf(ports);
      try {
        return start(all.subList(0, n), all.subList(n, 2 * n));
      } catch (IOException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
          throw e;
        }
      }
    }
  }

  /**
   * Starts one member per pair of ports (member {@code i} serves clients on
   * {@code clientPorts[i]} and raft on {@code peerPorts[i]}) and waits until every one is healthy.
   */
  public static EtcdCluster start(List<Integer> clientPorts, List<Integer> peerPorts) throws IOException, InterruptedException {
    return start(clientPorts, peerPorts, List.of());
  }

  /** As {@link #start(List, List)}, with further etcd flags for every member (a later flag overrides an earlier one). */
  static EtcdCluster start(List<Integer> clientPorts, List<Integer> peerPorts, List<String> extraArgs)
      throws IOException, InterruptedException {
    if (clientPorts.isEmpty() || clientPorts.size() != peerPorts.size()) {
      throw new IllegalArgumentException("one client and one peer port per member: " + clientPorts + " and " + peerPorts);
    }
    Path dir = Files.createTempDirectory("berth-etcd-cluster-");
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < peerPorts.size(); i++) {
      peers.add("m" + i + "=http://127.0.0.1:" + peerPorts.get(i));
    }
    List<String> args = List.of("--initial-cluster", String.join(",", peers), "--initial-cluster-state", "new",
        "--initial-cluster-token", dir.getFileName().toString(),
        "--heartbeat-interval", "50", "--election-timeout", "500",
        "--experimental-watch-progress-notify-interval", "500ms");
    args = Stream.concat(args.stream(), extraArgs.stream()).toList();
    List<EtcdMember> members = new ArrayList<>();
    for (int i = 0; i < clientPorts.size(); i++) {
      Path memberDir = Files.createDirectories(dir.resolve("m" + i));
      members.add(new EtcdMember("m" + i, memberDir, clientPorts.get(i), peerPorts.get(i), args));
    }
    EtcdCluster cluster = new EtcdCluster(dir, List.copyOf(members));
    try {
      // All at once: no member is healthy until a majority is up to elect a leader.
      for (EtcdMember m : members) {
        m.launch();
      }
      for (EtcdMember m : members) {
        m.awaitHealthy(STARTUP);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The store URL of every member: {@code etcd://127.0.0.1:P1,127.0.0.1:P2,...}. */
  public String url() {
    return "etcd://" + String.join(",", endpoints());
  }

  /** Each member's {@code 127.0.0.1:clientPort}, in member order. */
  public List<String> endpoints() {
    return members.stream().map(EtcdMember::endpoint).toList();
  }

  /** Member {@code i}'s {@code 127.0.0.1:clientPort}. */
  public String endpoint(int member) {
    return members.get(member).endpoint();
  }

  /** How many members the cluster has (running or not). */
  public int size() {
    return members.size();
  }

  /** Kills member {@code i} with SIGKILL, as a crash; its data stays for {@link #start}. */
  public void stop(int member) throws InterruptedException {
    members.get(member).kill();
  }

  /**
   * Starts member {@code i} again on its data and returns at once: it becomes healthy only when
   * a majority runs, which the caller may be about to restore.
   */
  public void start(int member) throws IOException {
    EtcdMember m = members.get(member);
    if (!m.isRunning()) {
      m.launch();
    }
  }

  /** Waits until member {@code i} reports healthy (its cluster has a leader). */
  public void awaitHealthy(int member, Duration timeout) throws IOException, InterruptedException {
    members.get(member).awaitHealthy(timeout);
  }

  /** The index of the member that leads now, waiting up to {@code timeout} for an election. */
  public int leader(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (int i = 0; i < members.size(); i++) {
        if (members.get(i).isRunning() && members.get(i).isLeader()) {
          return i;
        }
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new IOException("no etcd member leads after " + timeout.toMillis() + " ms: " + logs());
  }

  /** Drops history below {@code revision} through member {@code i}'s JSON gateway, as etcd's compact does. */
  public void compact(int member, long revision) throws IOException, InterruptedException {
    HttpRequest compact = HttpRequest.newBuilder(URI.create("http://" + endpoint(member) + "/v3/kv/compaction"))
        .timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + revision + "\",\"physical\":true}")).build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(compact, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("compaction at " + revision + " failed: " + r.statusCode() + " " + r.body());
    }
  }

  /** Every member's log, for a failing test's message. */
  public String logs() {
    return members.stream().map(m -> {
      try {
        return "--- " + m.name() + "\n" + m.log();
      } catch (IOException e) {
        return "--- " + m.name() + ": " + e.getMessage();
      }
    }).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    try {
      for (EtcdMember m : members) {
        m.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    EtcdProcess.deleteTree(dir);
  }
}
