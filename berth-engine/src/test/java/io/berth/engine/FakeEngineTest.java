package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link FakeEngine} against the contract, plus what only a fake can do. */
class FakeEngineTest extends ContainerEngineContract {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
  private final FakeEngine fake = FakeEngine.builder().name("node7").cpus(8).memoryBytes(16L << 30)
      .labels(Map.of("node", "node7", "disk", "ssd")).clock(Clock.fixed(T0, ZoneOffset.UTC)).build();

  @Override
  protected ContainerEngine engine() {
    return fake;
  }

  @Override
  protected Map<String, String> expectedEngineLabels() {
    return Map.of("node", "node7", "disk", "ssd");
  }

  @Override
  protected String publishAddress() {
    return "127.0.0.17";
  }

  @Override
  protected int freePort() {
    return 8080;
  }

  /** A tiny valid tar, so this test needs nothing outside the JVM (not even busybox-static). */
  @Override
  protected byte[] rootfsTar() {
    return new TarWriter().directory("./", 0755).file("hello.txt", 0644, "hi\n".getBytes()).finish();
  }

  @Test
  void infoIsWhatTheBuilderSaid() {
    EngineInfo info = fake.info();
    assertThat(info.name()).isEqualTo("node7");
    assertThat(info.cpus()).isEqualTo(8);
    assertThat(info.memoryBytes()).isEqualTo(16L << 30);
  }

  @Test
  void timestampsComeFromTheGivenClock() {
    String id = fake.create(spec("clock", List.of("sleep", "1"), Map.of(), Map.of(), ""));
    fake.start(id);
    assertThat(fake.inspect(id).orElseThrow().startedAt()).isEqualTo(T0.toString());
    assertThat(fake.listContainers(true, Map.of()).get(0).created()).isEqualTo(T0.getEpochSecond());
  }

  @Test
  void exitEndsARunningContainerWithItsCode() {
    String id = fake.create(spec("crash", List.of("false"), Map.of(), Map.of(), ""));
    fake.start(id);
    fake.exit(id, 3);
    ContainerDetails d = fake.inspect(id).orElseThrow();
    assertThat(d.running()).isFalse();
    assertThat(d.exitCode()).isEqualTo(3);
    assertThat(fake.listContainers(true, Map.of()).get(0).status()).isEqualTo("Exited (3)");
  }

  @Test
  void anUnreachableFakeFailsEveryCallWith503() {
    fake.reachable(false);
    assertThatThrownBy(fake::ping).isInstanceOfSatisfying(EngineException.class,
        e -> assertThat(e.status()).isEqualTo(503));
    assertThatThrownBy(() -> fake.listContainers(true, Map.of())).isInstanceOf(EngineException.class);
    fake.reachable(true);
    fake.ping();
  }

  @Test
  void containersAreFoundByUniqueIdPrefix() {
    String id = fake.create(spec("prefix", List.of("true"), Map.of(), Map.of(), ""));
    assertThat(fake.inspect(id.substring(0, 12))).map(ContainerDetails::id).contains(id);
  }

  @Test
  void anInvalidNameIs400() {
    assertThatThrownBy(() -> fake.create(new ContainerSpec("bad/name", IMAGE, List.of("true"), List.of(),
        Map.of(), 0, 0, Map.of(), ""))).isInstanceOfSatisfying(EngineException.class,
        e -> assertThat(e.getMessage()).isEqualTo("Invalid container name (bad/name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"));
  }

  @Test
  void addImageNeedsNoTarballAndDefaultsToLatest() {
    fake.addImage("team/app");
    assertThat(fake.hasImage("team/app:latest")).isTrue();
    assertThat(fake.hasImage("team/app")).isTrue();
  }

  @Test
  void namesStayUniqueUnderConcurrentCreates() throws Exception {
    AtomicInteger created = new AtomicInteger();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        int n = i % 20;
        pool.submit(() -> {
          try {
            fake.create(spec("same-" + n, List.of("true"), Map.of(), Map.of(), ""));
            created.incrementAndGet();
          } catch (EngineException e) {
            assertThat(e.status()).isEqualTo(409);
          }
        });
      }
    }
    assertThat(created).hasValue(20);
    assertThat(fake.listContainers(true, Map.of())).hasSize(20);
  }
}
