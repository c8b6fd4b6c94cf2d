package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Part of {@link ContainerEngineContract}: containers created, inspected, listed, started, stopped and removed, and the engine's refusals. */
interface ContainerLifecycleContract extends EngineUnderTest {
  @Test
  default void createdContainerCanBeInspectedAndIsNotRunning() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("created", List.of("sleep", "300"), Map.of("role", "web"), Map.of(), ""));
    ContainerDetails d = engine.inspect(id).orElseThrow();
    assertThat(d.id()).isEqualTo(id);
    assertThat(d.name()).isEqualTo("/" + name("created"));
    assertThat(d.image()).isEqualTo(IMAGE);
    assertThat(d.running()).isFalse();
    assertThat(d.startedAt()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(d.labels()).containsEntry("role", "web");
    assertThat(engine.inspect(name("created"))).map(ContainerDetails::id).contains(id);
    assertThat(engine.listContainers(true, Map.of("berth.test", run())))
        .singleElement().satisfies(c -> {
          assertThat(c.state()).isEqualTo("created");
          assertThat(c.names()).containsExactly("/" + name("created"));
          assertThat(c.image()).isEqualTo(IMAGE);
        });
  }

  @Test
  default void startRunsAndStopStopsAndBothAreIdempotent() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("cycle", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    engine.start(id);
    ContainerDetails running = engine.inspect(id).orElseThrow();
    assertThat(running.running()).isTrue();
    assertThat(running.startedAt()).isNotEqualTo("0001-01-01T00:00:00Z");
    assertThat(engine.listContainers(false, Map.of("berth.test", run()))).extracting(ContainerSummary::id).containsExactly(id);

    engine.stop(id, 0);
    engine.stop(id, 0);
    assertThat(engine.inspect(id).orElseThrow().running()).isFalse();
    assertThat(engine.listContainers(false, Map.of("berth.test", run()))).isEmpty();
    assertThat(engine.listContainers(true, Map.of("berth.test", run())))
        .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo("exited"));
  }

  @Test
  default void listFiltersByAllGivenLabels() {
    ContainerEngine engine = subject();
    String a = engine.create(spec("a", List.of("true"), Map.of("app", "a", "tier", "web"), Map.of(), ""));
    String b = engine.create(spec("b", List.of("true"), Map.of("app", "b", "tier", "web"), Map.of(), ""));
    assertThat(ids(Map.of("berth.test", run(), "app", "a"))).containsExactly(a);
    assertThat(ids(Map.of("berth.test", run(), "tier", "web"))).containsExactlyInAnyOrder(a, b);
    assertThat(ids(Map.of("berth.test", run(), "app", "a", "tier", "db"))).isEmpty();
  }

  @Test
  default void unknownContainerIs404WithTheEnginesMessage() {
    ContainerEngine engine = subject();
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
  default void creatingFromAMissingImageIs404() {
    ContainerEngine engine = subject();
    assertThatThrownBy(() -> engine.create(ContainerSpec.of("berth/never-imported:1", "true")))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("No such image: berth/never-imported:1");
        });
  }

  @Test
  default void aNameInUseIs409() {
    ContainerEngine engine = subject();
    String first = engine.create(spec("taken", List.of("true"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.create(spec("taken", List.of("true"), Map.of(), Map.of(), "")))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("\"/" + name("taken") + "\" is already in use by container \"" + first);
        });
  }

  @Test
  default void removingARunningContainerIs409UnlessForced() {
    ContainerEngine engine = subject();
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
  default void stoppedContainerIsRemovedWithoutForce() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("done", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    engine.stop(id, 0);
    engine.remove(id, false);
    assertThat(engine.inspect(id)).isEmpty();
    assertThat(engine.listContainers(true, Map.of("berth.test", run()))).isEmpty();
  }
}
