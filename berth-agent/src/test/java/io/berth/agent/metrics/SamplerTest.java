package io.berth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.metrics.MetricRegistry;
import io.berth.engine.BusyboxImage;
import io.berth.engine.ContainerSpec;
import io.berth.engine.ContainerStats;
import io.berth.engine.EngineException;
import io.berth.engine.FakeEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SamplerTest {
  static final long S = 1_000_000_000L;

  static ContainerStats reading(long at, long cpu, long system, long rx, long blockWrite) {
    return new ContainerStats(at, cpu, system, 2, 10_000_000, 64 << 20, rx, rx / 2, 0, blockWrite, 3);
  }

  @Test
  void cpuPercentIsDockersFormulaOverTwoReadingsAndBytesBecomeRates() {
    ContainerStats a = reading(100 * S, 5 * S, 1000 * S, 1_000, 0);
    ContainerStats b = reading(110 * S, 10 * S, 1020 * S, 21_000, 4096); // 5 s of CPU in 20 s of host time on 2 cores
    MetricsBatch.Values v = ContainerRates.values(a, b);
    assertThat(v.cpuPercent()).isEqualTo(50.0);
    assertThat(v.netRxBytesPerSecond()).isEqualTo(2000.0);
    assertThat(v.netTxBytesPerSecond()).isEqualTo(1000.0);
    assertThat(v.blockWriteBytesPerSecond()).isEqualTo(409.6);
    assertThat(v.memoryBytes()).isEqualTo(10_000_000.0);
    assertThat(v.memoryLimitBytes()).isEqualTo(64.0 * (1 << 20));
    assertThat(v.pids()).isEqualTo(3.0);
  }

  @Test
  void theFirstReadingAndARestartedContainerHaveNoRatesButTheirGauges() {
    ContainerStats b = reading(110 * S, 10 * S, 1020 * S, 21_000, 0);
    assertThat(ContainerRates.values(null, b).cpuPercent()).isNull();
    assertThat(ContainerRates.values(null, b).memoryBytes()).isEqualTo(10_000_000.0);
    ContainerStats restarted = reading(120 * S, S, 1040 * S, 10, 0);
    assertThat(ContainerRates.values(b, restarted).cpuPercent()).isNull();
    assertThat(ContainerRates.values(b, restarted).pids()).isEqualTo(3.0);
  }

  @Test
  void withoutTheHostsCpuTimeCpuPercentIsOverWallTime() {
    ContainerStats a = new ContainerStats(0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 1);
    ContainerStats b = new ContainerStats(10 * S, 15 * S, 0, 4, 1, 0, 0, 0, 0, 0, 1);
    assertThat(ContainerRates.values(a, b).cpuPercent()).isEqualTo(150.0);
    assertThat(ContainerRates.values(a, b).memoryLimitBytes()).as("no limit known").isNull();
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-01T10:00:05Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aSampleHasEveryRunningContainerWithItsBerthLabelsAndTheNodesTotals() throws Exception {
    TestClock clock = new TestClock();
    FakeEngine engine = FakeEngine.builder().clock(clock).cpus(2).memoryBytes(4L << 30).build();
    engine.addImage(BusyboxImage.REFERENCE);
    String app = engine.create(new ContainerSpec("hello-1", BusyboxImage.REFERENCE, null, List.of("sleep", "60"), List.of(),
        Map.of("io.berth.domain", "apps", "io.berth.process-guid", "hello-v3", "io.berth.index", "0", "com.example", "x"), 32 << 20, 0, 0,
        false, Map.of(), null));
    engine.start(app);
    String other = engine.create(ContainerSpec.of(BusyboxImage.REFERENCE, "sleep", "60"));
    engine.start(other);
    engine.create(ContainerSpec.of(BusyboxImage.REFERENCE, "true")); // never started: not sampled
    List<MetricsBatch> sent = new ArrayList<>();
    MetricRegistry registry = new MetricRegistry();
    Sampler s = new Sampler(engine, Duration.ofSeconds(10), clock, registry, sent::add);
    MetricsBatch first = s.sample();
    assertThat(first.containers()).hasSize(2);
    assertThat(first.cpus()).isEqualTo(2);
    assertThat(first.intervalSeconds()).isEqualTo(10);
    MetricsBatch.Container c = first.containers().stream().filter(x -> x.id().equals(app)).findFirst().orElseThrow();
    assertThat(c.name()).isEqualTo("hello-1");
    assertThat(c.labels()).containsOnlyKeys("io.berth.domain", "io.berth.process-guid", "io.berth.index");
    assertThat(c.values().cpuPercent()).as("one reading: no rate yet").isNull();
    assertThat(c.values().memoryLimitBytes()).isEqualTo(32.0 * (1 << 20));

    clock.now = clock.now.plusSeconds(10);
    MetricsBatch second = s.sample();
    MetricsBatch.Container c2 = second.containers().stream().filter(x -> x.id().equals(app)).findFirst().orElseThrow();
    assertThat(c2.values().cpuPercent()).isBetween(1.0, 20.01);
    // DoubleStream.sum compensates rounding, the sampler adds plainly: equal to the last bits only.
    assertThat(second.node().cpuPercent()).isCloseTo(second.containers().stream().mapToDouble(x -> x.values().cpuPercent()).sum(),
        Assertions.within(1e-9));
    assertThat(second.node().memoryBytes()).isPositive();

    AgentMetrics.register(registry, () -> "n1", () -> Optional.of(second));
    String text = registry.scrape();
    assertThat(text).contains("berth_container_cpu_percent{app=\"hello\",version=\"3\",instance=\"\",node=\"n1\",container=\"" + app
        + "\",name=\"hello-1\"}");
    assertThat(text).contains("berth_node_containers{node=\"n1\"} 2", "berth_agent_container_samples_total{outcome=\"ok\"} 4");
  }

  @Test
  void samplesInTheMiddleOfEachSlot() {
    assertThat(Sampler.untilNextSlot(10_000, 10_000)).isEqualTo(5_000);
    assertThat(Sampler.untilNextSlot(14_000, 10_000)).isEqualTo(1_000);
    assertThat(Sampler.untilNextSlot(15_000, 10_000)).isEqualTo(10_000);
    assertThat(Sampler.untilNextSlot(19_999, 10_000)).isEqualTo(5_001);
  }

  @Test
  void theAgentServesMetricsOnItsAddressAndABusyChosenAddressIsAnError() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    registry.counter("berth_test_total", "t").inc();
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (MetricsServer server = MetricsServer.start(any, true, registry).orElseThrow()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body()).contains("berth_test_total 1");
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
      InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.port());
      assertThatThrownBy(() -> MetricsServer.start(taken, true, registry))
          .hasMessageStartingWith("cannot serve the agent's metrics on --metrics-addr 127.0.0.1:" + server.port());
      assertThat(MetricsServer.start(taken, false, registry)).as("the default being busy is a warning").isEmpty();
    }
  }

  @Test
  void aManagerThatRefusesOrAnEngineThatIsGoneCostsThatIntervalOnly() throws Exception {
    FakeEngine engine = new FakeEngine();
    MetricRegistry registry = new MetricRegistry();
    AtomicBoolean refuse = new AtomicBoolean(true);
    List<MetricsBatch> sent = new CopyOnWriteArrayList<>();
    try (Sampler s = new Sampler(engine, Duration.ofSeconds(1), Clock.systemUTC(), registry, b -> {
      if (refuse.get()) throw new IOException("manager says no");
      sent.add(b);
    }).start()) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> registry.counter("berth_agent_metrics_batches_total", "",
          "outcome").value("failed") >= 1);
      engine.reachable(false);
      assertThatThrownBy(s::sample).isInstanceOf(EngineException.class); // the loop logs it and waits a slot
      refuse.set(false);
      engine.reachable(true);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());
      assertThat(s.last()).isPresent();
    }
  }
}
