package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two managers on one etcd, each with its Docker endpoint and its registry on one shared storage,
 * over two real engines: `docker run`s sent to both at once never overbook a node and never share a
 * name, and an image pushed through one manager's registry is pulled through the other's.
 */
@BerthCluster(nodes = 2, firstNode = 14, store = BerthCluster.Store.ETCD, managers = 2,
    managerArgs = {"--registry-addr", "127.0.0.1:504{i}", "--registry-storage", "{dir}/registry-shared"})
class TwoManagersIT {
  static String a;
  static String b;
  static Cluster cluster;

  @BeforeAll
  static void start(Cluster c) throws Exception {
    cluster = c;
    a = c.dockerHost(0);
    b = c.dockerHost(1);
    for (String host : List.of(a, b)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> docker(host, "info", "--format", "{{json .SystemStatus}}").out().split("Healthy", -1).length == 3);
    }
  }

  @Test
  void runsSentToBothManagersAtOnceNeverOverbookANode() throws Exception {
    long perNode = Long.parseLong(docker(a, "info", "--format", "{{.MemTotal}}").out().strip()) / 2;
    String big = Long.toString(perNode * 6 / 10); // one fits on a node, two do not
    for (int round = 0; round < 3; round++) {
      List<DockerCli.Result> results = atOnce(a, b, a, host -> docker(host, "run", "-d", "-m", big, "-l", "round=" + "x", "berth/busybox:1", "sleep", "300"));
      long ok = results.stream().filter(r -> r.exit() == 0).count();
      assertThat(ok).as("round " + round + ": " + results).isEqualTo(2);
      assertThat(results.stream().filter(r -> r.exit() != 0).findFirst().orElseThrow().err()).contains("not enough memory");
      List<String> nodes = docker(a, "ps", "--filter", "label=round=x", "--format", "{{.Names}}").out().lines().map(n -> n.split("/")[0]).sorted().toList();
      assertThat(nodes).as("one on each node").containsExactly("node14", "node15");
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(docker(a, "ps", "-q", "--filter", "label=round=x").out().lines().toList());
      docker(a, rm.toArray(String[]::new));
    }
  }

  @Test
  void oneNameOnceWhicheverManagerIsAsked() throws Exception {
    List<DockerCli.Result> results = atOnce(a, b, b, host -> docker(host, "run", "-d", "--name", "only-one", "berth/busybox:1", "sleep", "300"));
    assertThat(results.stream().filter(r -> r.exit() == 0).count()).as(results.toString()).isEqualTo(1);
    assertThat(results.stream().filter(r -> r.exit() != 0).map(DockerCli.Result::err)).allMatch(e -> e.contains("is already in use"));
    docker(b, "rm", "-f", "only-one");
  }

  @Test
  void anImagePushedThroughOneManagersRegistryIsPulledThroughTheOthers() throws Exception {
    String first = "127.0.0.1:5040";
    String second = "127.0.0.1:5041";
    Path config = Files.createTempDirectory("berth-two-registries");
    String engine = "unix://" + cluster.node(14).socket();
    List<String> flags = List.of("--config", config.toString());
    for (String registry : List.of(first, second)) {
      DockerCli.Result login = DockerCli.run(engine, flags, cluster.adminToken() + "\n", "login", registry, "-u", "admin", "--password-stdin");
      assertThat(login.exit()).as(registry + ": " + login.err()).isZero();
    }
    assertThat(DockerCli.run(engine, flags, null, "tag", "berth/busybox:1", first + "/team/ha:v1").exit()).isZero();
    DockerCli.Result push = DockerCli.run(engine, flags, null, "push", first + "/team/ha:v1");
    assertThat(push.exit()).as(push.err()).isZero();
    DockerCli.run(engine, flags, null, "rmi", first + "/team/ha:v1");
    DockerCli.Result pull = DockerCli.run(engine, flags, null, "pull", second + "/team/ha:v1");
    assertThat(pull.exit()).as("pulled through the other manager's registry: " + pull.err()).isZero();
    DockerCli.run(engine, flags, null, "rmi", second + "/team/ha:v1");
  }

  interface Run {
    DockerCli.Result on(String host) throws Exception;
  }

  static List<DockerCli.Result> atOnce(String first, String second, String third, Run run) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      List<Future<DockerCli.Result>> fs = new ArrayList<>();
      for (String host : List.of(first, second, third)) fs.add(pool.submit((Callable<DockerCli.Result>) () -> run.on(host)));
      List<DockerCli.Result> out = new ArrayList<>();
      for (Future<DockerCli.Result> f : fs) out.add(f.get());
      return out;
    }
  }

  static DockerCli.Result docker(String host, String... args) throws Exception {
    return DockerCli.run(host, List.of(), null, args);
  }
}
