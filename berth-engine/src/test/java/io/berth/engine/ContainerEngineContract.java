package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
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
  void pullingAnImageNoRegistryServesFailsWithTheEnginesWords() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine().pull("127.0.0.1:1/berth/nothing:1", line -> {}))
        .isInstanceOf(EngineException.class).hasMessageNotContaining("Exception");
    org.assertj.core.api.Assertions.assertThat(engine().hasImage("127.0.0.1:1/berth/nothing:1")).isFalse();
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
          assertThat(e.reason()).isEqualTo(EngineException.Reason.PORT_IN_USE);
        });
    assertThat(engine.inspect(second).orElseThrow().running()).isFalse();
  }

  @Test
  void execRunsInARunningContainerAndReportsExitCodeAndOutput() {
    String id = engine.create(spec("exec", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    assertThat(engine.exec(id, List.of("echo", "hello", "there"), Duration.ofSeconds(10)))
        .isEqualTo(new ExecResult(0, "hello there\n"));
    assertThat(engine.exec(id, List.of("/bin/busybox", "false"), Duration.ofSeconds(10)).exitCode()).isEqualTo(1);
  }

  @Test
  void execInAStoppedContainerIs409() {
    String id = engine.create(spec("exec-stopped", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.exec(id, List.of("true"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("is not running");
        });
  }

  @Test
  void anArchivePutIntoACreatedContainerIsReadBackAndSeenByItsProcesses() {
    String id = engine.create(spec("archive", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    byte[] tar = new TarWriter().directory("berth", 0755).file("berth/note.txt", 0644, "a note\n".getBytes()).finish();
    engine.putArchive(id, "/tmp", new ByteArrayInputStream(tar));
    assertThat(TarReader.read(engine.getArchive(id, "/tmp/berth/note.txt")))
        .singleElement().satisfies(e -> {
          assertThat(e.name()).isEqualTo("note.txt");
          assertThat(new String(e.content())).isEqualTo("a note\n");
        });
    assertThat(TarReader.read(engine.getArchive(id, "/tmp/berth"))).extracting(TarReader.Entry::name)
        .contains("berth/note.txt");
    engine.start(id);
    assertThat(engine.exec(id, List.of("cat", "/tmp/berth/note.txt"), Duration.ofSeconds(10)).output()).isEqualTo("a note\n");
    engine.stop(id, 0);
    assertThat(engine.getArchive(id, "/tmp/berth/note.txt")).isNotEmpty(); // stopped containers are read too
  }

  @Test
  void aMissingPathInAnArchiveRequestIs404() {
    String id = engine.create(spec("no-path", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.getArchive(id, "/berth-no-such-file"))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void eventsReportStartAndDieWithTheContainersLabels() throws Exception {
    var seen = new java.util.concurrent.CopyOnWriteArrayList<ContainerEvent>();
    try (AutoCloseable sub = engine.events(seen::add)) {
      Thread.sleep(200); // the real engine's stream needs a moment to open
      String id = engine.create(spec("events", List.of("sleep", "300"), Map.of("role", "watched"), Map.of(), ""));
      engine.start(id);
      engine.stop(id, 0);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(seen).filteredOn(e -> e.id().equals(id)).extracting(ContainerEvent::action).contains("start", "die"));
      assertThat(seen).filteredOn(e -> e.id().equals(id) && e.action().equals("die"))
          .allSatisfy(e -> {
            assertThat(e.labels()).containsEntry("role", "watched");
            assertThat(e.exitCode()).isEqualTo(137); // sleep ignores nothing, but stop -t 0 kills
          });
    }
  }

  @Test
  void cpuSharesPrivilegeAndEntrypointAreApplied() {
    var base = spec("shares", List.of("300"), Map.of(), Map.of(), "");
    String id = engine.create(new ContainerSpec(base.name(), IMAGE, List.of("/bin/sleep"), base.cmd(), base.env(),
        base.labels(), base.memoryBytes(), 0, 512, false, Map.of(), ""));
    engine.start(id); // the image has no CMD or ENTRYPOINT: only the given entrypoint makes "300" runnable
    ContainerDetails d = engine.inspect(id).orElseThrow();
    assertThat(d.running()).isTrue();
    assertThat(d.cpuShares()).isEqualTo(512);
    assertThat(d.privileged()).isFalse();
    // created, not started: a dockerd inside an unprivileged container cannot start privileged ones
    var p = spec("privileged", List.of("true"), Map.of(), Map.of(), "");
    String privileged = engine.create(new ContainerSpec(p.name(), IMAGE, List.of(), p.cmd(), p.env(), p.labels(),
        0, 0, 0, true, Map.of(), ""));
    assertThat(engine.inspect(privileged).orElseThrow().privileged()).isTrue();
    assertThat(engine.inspect(privileged).orElseThrow().cpuShares()).isZero();
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
