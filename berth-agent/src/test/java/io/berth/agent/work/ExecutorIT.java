package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.Action;
import io.berth.engine.BusyboxImage;
import io.berth.engine.ContainerEngine;
import io.berth.engine.ContainerSummary;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor against a real dockerd (node20 of {@link LocalEngines}), with a tiny HTTP server for downloads. */
class ExecutorIT {
  static final int NODE = 20;
  static LocalEngines engines;
  static HttpServer files;
  static final AtomicInteger downloads = new AtomicInteger();
  @TempDir Path dir;
  LocalEngine node;
  ContainerEngine engine;
  final List<Timed> reports = new CopyOnWriteArrayList<>();
  final AtomicReference<Executor> current = new AtomicReference<>();

  record Timed(InstanceReport report, long nanos) {}

  @BeforeAll
  static void start() throws Exception {
    engines = LocalEngines.builder().nodes(1).firstNode(NODE).start();
    byte[] tgz = ScriptCompilerTest.tgz("site/index.html", "hello from a droplet\n");
    files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    files.createContext("/droplet.tgz", ex -> {
      downloads.incrementAndGet();
      ex.getResponseHeaders().add("ETag", "\"v1\"");
      if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        ex.sendResponseHeaders(304, -1);
      } else {
        ex.sendResponseHeaders(200, tgz.length);
        ex.getResponseBody().write(tgz);
      }
      ex.close();
    });
    files.start();
  }

  @AfterAll
  static void stop() {
    if (files != null) files.stop(0);
    if (engines != null) engines.close();
  }

  @BeforeEach
  void setUp() {
    node = engines.node(NODE);
    engine = node.engine();
  }

  @AfterEach
  void tearDown() {
    Executor x = current.get();
    if (x != null) x.close();
    for (ContainerSummary c : engine.listContainers(true, Map.of())) {
      if (c.labels().containsKey(ContainerPlan.INSTANCE_GUID)) engine.remove(c.id(), true);
    }
  }

  Executor executor() {
    var config = new Executor.Config(node.address(), dir, Path.of("/bin/busybox"), 62000, 62100, Duration.ofMillis(100),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2));
    Executor x = Executor.create(config, engine, rs -> {
      long t = System.nanoTime();
      rs.forEach(r -> reports.add(new Timed(r, t)));
      Executor self = current.get();
      if (self != null) self.delivered(rs); // as the manager would accept them at once
    });
    current.set(x);
    return x.start();
  }

  Timed awaitState(String guid, String state) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> find(guid, state) != null);
    return find(guid, state);
  }

  Timed find(String guid, String state) {
    return reports.stream().filter(t -> t.report().instanceGuid().equals(guid) && t.report().state().equals(state))
        .findFirst().orElse(null);
  }

  List<ContainerSummary> ours() {
    return engine.listContainers(true, Map.of()).stream().filter(c -> c.labels().containsKey(ContainerPlan.INSTANCE_GUID)).toList();
  }

  @Test
  void anLrpDownloadsRunsBecomesHealthyIsAdoptedAfterARestartAndCrashesQuicklyWhenKilled() throws Exception {
    String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/droplet.tgz";
    Action setup = new Action.Serial(List.of(
        new Action.Download("droplet", url, "/app", "root", "droplet-v1", null),
        new Action.Run("/bin/sh", List.of("-c", "echo setup done"), null, List.of(), null, "root", null)), "STG");
    Action run = new Action.Run("/bin/sh", List.of("-c", "env > /tmp/env.txt; exec httpd -f -p 8080 -h /app/site"), "/",
        List.of(new Action.EnvVar("RUN_ONLY", "it's")), new Action.ResourceLimits(2048L), "root", "APP");
    Action monitor = new Action.Run("/bin/wget", List.of("-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"), null,
        List.of(), null, "root", "HEALTH");
    Assignment a = new Assignment(Assignment.LRP, "ig-web-0", "web", 0, "apps", BusyboxImage.REFERENCE,
        List.of(new Action.EnvVar("GREETING", "hi")), 50, 0, 64, false, setup, run, monitor, null, 30, List.of(8080),
        "web", "APP", null);
    Executor x = executor();
    long t0 = System.nanoTime();
    x.assign(List.of(a));
    Timed running = awaitState("ig-web-0", "RUNNING");
    System.out.printf("ExecutorIT: assign -> RUNNING %d ms (download, setup, monitor every 100 ms)%n", (running.nanos() - t0) / 1_000_000);
    int hostPort = running.report().ports().get(0).hostPort();
    var http = HttpClient.newHttpClient();
    var page = http.send(HttpRequest.newBuilder(URI.create("http://" + node.address() + ":" + hostPort + "/index.html")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).isEqualTo("hello from a droplet\n");
    String id = ours().get(0).id();
    String env = engine.exec(id, List.of("cat", "/tmp/env.txt"), Duration.ofSeconds(5)).output();
    assertThat(env).contains("INSTANCE_GUID=ig-web-0\n", "INSTANCE_INDEX=0\n", "CF_INSTANCE_IP=" + node.address() + "\n",
        "CF_INSTANCE_PORT=" + hostPort + "\n", "CF_INSTANCE_ADDR=" + node.address() + ":" + hostPort + "\n",
        "CF_INSTANCE_PORTS=[{\"external\":" + hostPort + ",\"internal\":8080}]\n", "PORT=8080\n", "GREETING=hi\n", "RUN_ONLY=it's\n");
    assertThat(engine.inspect(id).orElseThrow().cpuShares()).isEqualTo(512);

    // an agent restart: the new executor adopts the running container
    x.close();
    reports.clear();
    Executor again = executor();
    again.assign(List.of(a));
    awaitState("ig-web-0", "RUNNING");
    assertThat(ours()).extracting(ContainerSummary::id).containsExactly(id);

    // docker kill
    var died = new AtomicReference<Long>();
    try (AutoCloseable sub = engine.events(e -> { if (e.id().equals(id) && e.action().equals("die")) died.compareAndSet(null, System.nanoTime()); })) {
      Thread.sleep(200);
      long k0 = System.nanoTime();
      kill(id);
      long k1 = System.nanoTime();
      Timed crashed = awaitState("ig-web-0", "CRASHED");
      System.out.printf("ExecutorIT: docker kill -> CRASHED %d ms after the kill returned (%d ms after it began; die event -> report %d ms)%n",
          (crashed.nanos() - k1) / 1_000_000, (crashed.nanos() - k0) / 1_000_000,
          died.get() == null ? -1 : (crashed.nanos() - died.get()) / 1_000_000);
      assertThat(crashed.report().reason()).isEqualTo("exited with status 137");
      assertThat((crashed.nanos() - k1) / 1_000_000).isLessThan(1000);
    }
    // kept for a start in place until the manager says otherwise: here it places the slot anew, so unassigns it
    assertThat(ours()).extracting(ContainerSummary::id).containsExactly(id);
    again.assign(List.of());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ours().isEmpty());
    assertThat(downloads).hasValueGreaterThanOrEqualTo(1);
  }

  @Test
  void aTaskWritesItsResultFileAndCompletes() {
    Action action = new Action.Run("/bin/sh", List.of("-c", "echo working; echo -n 42 > /tmp/result.txt"), null, List.of(), null,
        "root", "TASK");
    Assignment t = new Assignment(Assignment.TASK, "tg-1", "task-1", 0, "tasks", BusyboxImage.REFERENCE, List.of(), 0, 0, 32,
        false, null, action, null, null, 0, List.of(), "task-1", "TASK", "/tmp/result.txt");
    Executor x = executor();
    long t0 = System.nanoTime();
    x.assign(List.of(t));
    Timed done = awaitState("tg-1", "COMPLETED");
    System.out.printf("ExecutorIT: task assign -> COMPLETED %d ms%n", (done.nanos() - t0) / 1_000_000);
    assertThat(done.report().failed()).isFalse();
    assertThat(done.report().result()).isEqualTo("42");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ours().isEmpty());
  }

  /** {@code docker kill} with the CLI when it is installed, else SIGKILL through a stop without grace. */
  void kill(String id) throws Exception {
    Path cli = Path.of("/usr/bin/docker");
    if (Files.isExecutable(cli)) {
      Process p = new ProcessBuilder(cli.toString(), "-H", node.socket(), "kill", id).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(out).isZero();
    } else {
      engine.stop(id, 0);
    }
  }
}
