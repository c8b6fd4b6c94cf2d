package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerEngine} must do, run against {@link FakeEngine} and a real dockerd:
 * the engine and its images here, containers' lifecycle in {@link ContainerLifecycleContract}, and
 * what running containers offer in {@link RunningContainerContract}. Each test labels its containers
 * with a run id and removes them afterwards, so the contract also passes against an engine whose
 * data survives between runs.
 */
public abstract class ContainerEngineContract implements ContainerLifecycleContract, RunningContainerContract {
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
    assertThatThrownBy(() -> engine().pull("127.0.0.1:1/berth/nothing:1", line -> {}))
        .isInstanceOf(EngineException.class).hasMessageNotContaining("Exception");
    assertThat(engine().hasImage("127.0.0.1:1/berth/nothing:1")).isFalse();
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
  void buildTagsTheImageAndStreamsItsSteps() {
    List<String> lines = new ArrayList<>();
    engine.build(context("Dockerfile", "FROM " + IMAGE + "\nLABEL berth.test=contract\n"), "Dockerfile",
        List.of("berth/contract-build:" + run), false, lines::add);
    assertThat(engine.hasImage("berth/contract-build:" + run)).isTrue();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("LABEL berth.test=contract"));
  }

  @Test
  void buildOfAFailingCommandFailsWithTheEnginesWords() {
    assertThatThrownBy(() -> engine.build(context("ci/Dockerfile", "FROM " + IMAGE + "\nRUN false\n"), "ci/Dockerfile",
        List.of("berth/contract-fails:" + run), true, line -> {}))
        .isInstanceOf(EngineException.class).hasMessageContaining("returned a non-zero code: 1");
  }

  @Test
  void buildWithoutItsDockerfileNamesIt() {
    assertThatThrownBy(() -> engine.build(context("README", "no Dockerfile here"), "Dockerfile.prod",
        List.of("berth/contract-missing:" + run), false, line -> {}))
        .isInstanceOf(EngineException.class).hasMessageContaining("Dockerfile.prod");
  }

  private static ByteArrayInputStream context(String name, String content) {
    return new ByteArrayInputStream(new TarWriter().file(name, 0644, content.getBytes(StandardCharsets.UTF_8)).finish());
  }

  @Override
  public final ContainerEngine subject() {
    return engine;
  }

  @Override
  public final String run() {
    return run;
  }

  @Override
  public final String hostAddress() {
    return publishAddress();
  }

  @Override
  public final int hostPort() {
    return freePort();
  }

  /** A container name unique to this test run. */
  @Override
  public String name(String base) {
    return "berth-" + run + "-" + base;
  }

  /** A spec labelled with this run's id, so {@link #removeContainersOfThisRun()} cleans it up. */
  @Override
  public ContainerSpec spec(String base, List<String> cmd, Map<String, String> labels,
                            Map<String, Integer> ports, String hostIp) {
    var all = new HashMap<>(labels);
    all.put("berth.test", run);
    return new ContainerSpec(name(base), IMAGE, cmd, List.of("BERTH=1"), all, 64L << 20, 500_000_000L, ports, hostIp);
  }

  @Override
  public List<String> ids(Map<String, String> labels) {
    return engine.listContainers(true, labels).stream().map(ContainerSummary::id).toList();
  }
}
