package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code berth dev} as a user runs it, against a real engine (its own dockerd, node 7); and killed
 * with SIGKILL, its registry and nginx left running are stopped by the next start, which then holds
 * their ports itself.
 */
@BerthCluster(nodes = 1, firstNode = 7, manager = false)
class DevIT {
  static LocalEngine engine;
  static final java.util.List<BerthProcess> started = new java.util.ArrayList<>();

  @BeforeAll
  static void useEngine(Cluster c) {
    engine = c.engines().get(0);
  }

  @AfterAll
  static void stopEngine() {
    for (BerthProcess p : started) {
      try {
        p.close(); // a failed assertion must not leave berth dev holding its ports for the next tests
      } catch (Exception e) {
        // already gone
      }
    }
  }

  @Test
  void oneCommandRunsAOneNodeBerthThatImportsItsImageRefusesASecondCopyAndSurvivesARestart() throws Exception {
    Path data = Files.createTempDirectory("berth-dev-it");
    int api = Ports.free();
    String[] dev = {"dev", "--data", data.toString(), "--engine", engine.socket(), "--api-addr", "127.0.0.1:" + api,
        "--cluster-addr", "127.0.0.1:" + Ports.free(), "--agent-addr", engine.address() + ":" + Ports.free(), "--name", "devnode"};
    removeTestImage();

    BerthProcess first = BerthProcess.start("dev", data, dev);
    started.add(first);
    String ready = first.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
    Matcher m = Pattern.compile("ready in ([0-9.]+) s").matcher(ready);
    assertThat(m.find()).isTrue();
    System.out.println("berth-it: berth dev ready in " + m.group(1) + " s (first start, image import included)");
    assertThat(first.output()).contains("importing test image berth/busybox:1");
    assertThat(engine.engine().hasImage("berth/busybox:1")).isTrue();

    BerthProcess.Result nodes = BerthProcess.run(Duration.ofSeconds(30), "nodes", "--data", data.toString());
    assertThat(nodes.out()).contains("devnode", "ready");
    String token = Files.readString(data.resolve("admin.token"));
    assertThat(Files.getPosixFilePermissions(data.resolve("admin.token")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    ManagerApi client = new ManagerApi("http://127.0.0.1:" + api, data);
    String joinedAt = client.get("/v1/nodes/devnode").path("joined_at").asText();

    BerthProcess.Result second = BerthProcess.run(Duration.ofSeconds(30), dev);
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err().strip()).startsWith("berth dev: another berth dev is already running with data dir").doesNotContain("\n");

    first.stop();
    BerthProcess again = BerthProcess.start("dev", data, dev);
    started.add(again);
    again.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
    assertThat(again.output()).doesNotContain("importing test image");
    assertThat(Files.readString(data.resolve("admin.token"))).as("the cluster is the same one").isEqualTo(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> "ready".equals(client.nodeState("devnode")));
    assertThat(client.get("/v1/nodes/devnode").path("joined_at").asText()).isEqualTo(joinedAt);
    again.stop();
  }

  @Test
  void aSigkilledDevLeavesNoRegistryOrNginxHoldingItsPortsOnceItStartsAgain() throws Exception {
    Path data = Files.createTempDirectory("berth-dev-kill-it");
    int api = Ports.free();
    int registry = Ports.free();
    int router = Ports.free();
    String[] dev = {"dev", "--data", data.toString(), "--engine", engine.socket(), "--api-addr", "127.0.0.1:" + api,
        "--cluster-addr", "127.0.0.1:" + Ports.free(), "--agent-addr", engine.address() + ":" + Ports.free(), "--name", "killnode",
        "--registry-addr", "127.0.0.1:" + registry, "--router-listen", "127.0.0.1:" + router, "--docker-addr", "127.0.0.1:" + Ports.free()};
    BerthProcess first = BerthProcess.start("dev-killed", data, dev);
    started.add(first);
    first.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
    Map<String, Long> children = pidFiles(data);
    assertThat(children.keySet()).as("the registry's and nginx's pid files").anyMatch(f -> f.endsWith("registry.pid"))
        .anyMatch(f -> f.endsWith("nginx.pid"));

    first.kill(); // SIGKILL: no shutdown hook stops the children
    BerthProcess again = BerthProcess.start("dev-again", data, dev);
    started.add(again);
    again.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
    Map<String, Long> now = pidFiles(data);
    children.forEach((file, pid) -> assertThat(alive(pid) && !pid.equals(now.get(file)))
        .as(file + ": the killed dev's child " + pid + " is stopped (or adopted), not left running").isFalse());
    // the new dev's own registry and nginx hold the ports
    assertThat(HostLoad.once("127.0.0.1", registry, "127.0.0.1")).as("the registry").doesNotStartWith("error");
    assertThat(HostLoad.once("127.0.0.1", router, "nobody.berth.local")).as("the router's nginx").doesNotStartWith("error");
    assertThat(again.stop()).isIn(0, 143);
    for (long pid : pidFiles(data).values()) assertThat(alive(pid)).as("after a clean stop, child " + pid).isFalse();
  }

  /** Every {@code *.pid} file under the data dir and the pid it names. */
  static Map<String, Long> pidFiles(Path data) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".pid"))::iterator) {
        String text = Files.readString(f).strip();
        if (text.matches("\\d+")) out.put(data.relativize(f).toString(), Long.parseLong(text));
      }
    }
    return out;
  }

  /** Whether the process runs: not gone, and not a zombie its new parent (here a VM's init) has yet to reap. */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  static void removeTestImage() throws Exception {
    StringBuilder out = new StringBuilder();
    for (int attempt = 0; attempt < 5 && engine.engine().hasImage("berth/busybox:1"); attempt++) {
      Process p = new ProcessBuilder("docker", "-H", engine.socket(), "rmi", "-f", "berth/busybox:1").redirectErrorStream(true).start();
      out.append(new String(p.getInputStream().readAllBytes())).append(" exit ").append(p.waitFor()).append("; ");
      Thread.sleep(200);
    }
    assertThat(engine.engine().hasImage("berth/busybox:1")).as("after docker rmi: " + out).isFalse();
  }
}
