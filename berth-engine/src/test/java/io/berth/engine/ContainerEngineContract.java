package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerEngine} must do, run against {@link FakeEngine} and a real dockerd.
 * Each test labels its containers with a run id and removes them afterwards, so the contract also
 * passes against an engine whose data survives between runs.
 */
public abstract class ContainerEngineContract {
  protected static final String IMAGE = BusyboxImage.REFERENCE;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private ContainerEngine engine;

  /** The engine under test; called before each test, with {@link #IMAGE} already present or importable. */
  protected abstract ContainerEngine engine();

  /** The labels the engine under test was started with. */
  protected abstract Map<String, String> expectedEngineLabels();

  /** An address this engine can publish ports on (a loopback address for a local dockerd). */
  protected abstract String publishAddress();

  /** A host port free on {@link #publishAddress()}. */
  protected abstract int freePort();

  /** A root filesystem tarball to import. */
  protected byte[] rootfsTar() {
    return BusyboxImage.rootfsTar();
  }

  @BeforeEach
  void ensureImage() {
    engine = engine();
    if (!engine.hasImage(IMAGE)) {
      engine.importImage(new ByteArrayInputStream(rootfsTar()), "berth/busybox", "1");
    }
  }

  @AfterEach
  void removeContainersOfThisRun() {
    for (ContainerSummary c : engine.listContainers(true, Map.of("berth.test", run))) {
      engine.remove(c.id(), true);
    }
  }

  @Test
  void pingAnswers() {
    engine.ping();
  }

  @Test
  void infoDescribesTheEngineAndItsHost() {
    EngineInfo info = engine.info();
    assertThat(info.id()).isNotBlank();
    assertThat(info.serverVersion()).isNotBlank();
    assertThat(info.apiVersion()).matches("\\d+\\.\\d+");
    assertThat(info.osType()).isEqualTo("linux");
    assertThat(info.cpus()).isPositive();
    assertThat(info.memoryBytes()).isPositive();
    assertThat(info.labels()).containsAllEntriesOf(expectedEngineLabels());
  }

  @Test
  void importedImageIsListedAndFound() {
    engine.importImage(new ByteArrayInputStream(rootfsTar()), "berth/contract-import", "1");
    assertThat(engine.hasImage("berth/contract-import:1")).isTrue();
    assertThat(engine.hasImage("berth/never-imported:1")).isFalse();
    assertThat(engine.listImages()).anySatisfy(i -> assertThat(i.repoTags()).contains("berth/contract-import:1"));
  }

  @Test
  void importingSomethingThatIsNotATarFails() {
    var garbage = new ByteArrayInputStream("not a tar at all".repeat(100).getBytes());
    assertThatThrownBy(() -> engine.importImage(garbage, "berth/garbage", "1"))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(500));
  }

  @Test
  void createdContainerCanBeInspectedAndIsNotRunning() {
    String id = engine.create(spec("created", List.of("sleep", "300"), Map.of("role", "web"), Map.of(), ""));
    ContainerDetails d = engine.inspect(id).orElseThrow();
    assertThat(d.id()).isEqualTo(id);
    assertThat(d.name()).isEqualTo("/" + name("created"));
    assertThat(d.image()).isEqualTo(IMAGE);
    assertThat(d.running()).isFalse();
    assertThat(d.startedAt()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(d.labels()).containsEntry("role", "web");
    assertThat(engine.inspect(name("created"))).map(ContainerDetails::id).contains(id);
    assertThat(engine.listContainers(true, Map.of("berth.test", run)))
        .singleElement().satisfies(c -> {
          assertThat(c.state()).isEqualTo("created");
          assertThat(c.names()).containsExactly("/" + name("created"));
          assertThat(c.image()).isEqualTo(IMAGE);
        });
  }

  @Test
  void startRunsAndStopStopsAndBothAreIdempotent() {
    String id = engine.create(spec("cycle", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    engine.start(id);
    ContainerDetails running = engine.inspect(id).orElseThrow();
    assertThat(running.running()).isTrue();
    assertThat(running.startedAt()).isNotEqualTo("0001-01-01T00:00:00Z");
    assertThat(engine.listContainers(false, Map.of("berth.test", run))).extracting(ContainerSummary::id).containsExactly(id);

    engine.stop(id, 0);
    engine.stop(id, 0);
    assertThat(engine.inspect(id).orElseThrow().running()).isFalse();
    assertThat(engine.listContainers(false, Map.of("berth.test", run))).isEmpty();
    assertThat(engine.listContainers(true, Map.of("berth.test", run)))
        .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo("exited"));
  }

  @Test
  void listFiltersByAllGivenLabels() {
    String a = engine.create(spec("a", List.of("true"), Map.of("app", "a", "tier", "web"), Map.of(), ""));
    String b = engine.create(spec("b", List.of("true"), Map.of("app", "b", "tier", "web"), Map.of(), ""));
    assertThat(ids(Map.of("berth.test", run, "app", "a"))).containsExactly(a);
    assertThat(ids(Map.of("berth.test", run, "tier", "web"))).containsExactlyInAnyOrder(a, b);
    assertThat(ids(Map.of("berth.test", run, "app", "a", "tier", "db"))).isEmpty();
  }

  @Test
  void unknownContainerIs404WithTheEnginesMessage() {
    assertThat(engine.inspect("berth-no-such-container")).isEmpty();
    for (Runnable call : List.<Runnable>of(() -> engine.start("berth-no-such-container"),
        () -> engine.stop("berth-no-such-container", 0), () -> engine.remove("berth-no-such-container", true))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("No such container: berth-no-such-container");
      });
    }
  }

  @Test
  void creatingFromAMissingImageIs404() {
    assertThatThrownBy(() -> engine.create(ContainerSpec.of("berth/never-imported:1", "true")))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("No such image: berth/never-imported:1");
        });
  }

  @Test
  void aNameInUseIs409() {
    String first = engine.create(spec("taken", List.of("true"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.create(spec("taken", List.of("true"), Map.of(), Map.of(), "")))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("\"/" + name("taken") + "\" is already in use by container \"" + first);
        });
  }

  @Test
  void removingARunningContainerIs409UnlessForced() {
    String id = engine.create(spec("busy", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    assertThatThrownBy(() -> engine.remove(id, false))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).startsWith("You cannot remove a running container " + id);
        });
    engine.remove(id, true);
    assertThat(engine.inspect(id)).isEmpty();
  }

  @Test
  void stoppedContainerIsRemovedWithoutForce() {
    String id = engine.create(spec("done", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    engine.stop(id, 0);
    engine.remove(id, false);
    assertThat(engine.inspect(id)).isEmpty();
    assertThat(engine.listContainers(true, Map.of("berth.test", run))).isEmpty();
  }

  @Test
  void publishesAPortOnTheGivenHostAddress() {
    int port = freePort();
    String id = engine.create(spec("web", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), publishAddress()));
    assertThat(engine.inspect(id).orElseThrow().publishedPorts()).isEmpty();
    engine.start(id);
    assertThat(engine.inspect(id).orElseThrow().publishedPorts()).containsExactly(Map.entry("8080/tcp", port));
  }

  @Test
  void hostPortZeroOnTheDefaultAddressLetsTheEngineChoose() {
    String id = engine.create(spec("any", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", 0), ""));
    engine.start(id);
    assertThat(engine.inspect(id).orElseThrow().publishedPorts().get("8080/tcp")).isPositive();
  }

  @Test
  void aHostPortAlreadyPublishedFailsTheSecondStart() {
    int port = freePort();
    engine.start(engine.create(spec("first", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), publishAddress())));
    String second = engine.create(spec("second", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), publishAddress()));
    assertThatThrownBy(() -> engine.start(second))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.getMessage()).contains("port is already allocated");
        });
    assertThat(engine.inspect(second).orElseThrow().running()).isFalse();
  }

  /** A container name unique to this test run. */
  protected String name(String base) {
    return "berth-" + run + "-" + base;
  }

  /** A spec labelled with this run's id, so {@link #removeContainersOfThisRun()} cleans it up. */
  protected ContainerSpec spec(String base, List<String> cmd, Map<String, String> labels,
                               Map<String, Integer> ports, String hostIp) {
    var all = new java.util.HashMap<>(labels);
    all.put("berth.test", run);
    return new ContainerSpec(name(base), IMAGE, cmd, List.of("BERTH=1"), all, 64L << 20, 500_000_000L, ports, hostIp);
  }

  private List<String> ids(Map<String, String> labels) {
    return engine.listContainers(true, labels).stream().map(ContainerSummary::id).toList();
  }
}
