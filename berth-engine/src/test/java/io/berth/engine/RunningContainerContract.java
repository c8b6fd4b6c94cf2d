package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Part of {@link ContainerEngineContract}: what containers offer once made: published ports, exec, archives, events and resource settings. */
interface RunningContainerContract extends EngineUnderTest {
  @Test
  default void publishesAPortOnTheGivenHostAddress() {
    ContainerEngine engine = subject();
    int port = hostPort();
    String id = engine.create(spec("web", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), hostAddress()));
    assertThat(engine.inspect(id).orElseThrow().publishedPorts()).isEmpty();
    engine.start(id);
    assertThat(engine.inspect(id).orElseThrow().publishedPorts()).containsExactly(Map.entry("8080/tcp", port));
  }

  @Test
  default void hostPortZeroOnTheDefaultAddressLetsTheEngineChoose() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("any", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", 0), ""));
    engine.start(id);
    assertThat(engine.inspect(id).orElseThrow().publishedPorts().get("8080/tcp")).isPositive();
  }

  @Test
  default void aHostPortAlreadyPublishedFailsTheSecondStart() {
    ContainerEngine engine = subject();
    int port = hostPort();
    engine.start(engine.create(spec("first", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), hostAddress())));
    String second = engine.create(spec("second", List.of("sleep", "300"), Map.of(), Map.of("8080/tcp", port), hostAddress()));
    assertThatThrownBy(() -> engine.start(second))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.getMessage()).contains("port is already allocated");
          assertThat(e.reason()).isEqualTo(EngineException.Reason.PORT_IN_USE);
        });
    assertThat(engine.inspect(second).orElseThrow().running()).isFalse();
  }

  @Test
  default void execRunsInARunningContainerAndReportsExitCodeAndOutput() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("exec", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    engine.start(id);
    assertThat(engine.exec(id, List.of("echo", "hello", "there"), Duration.ofSeconds(10)))
        .isEqualTo(new ExecResult(0, "hello there\n"));
    assertThat(engine.exec(id, List.of("/bin/busybox", "false"), Duration.ofSeconds(10)).exitCode()).isEqualTo(1);
  }

  @Test
  default void execInAStoppedContainerIs409() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("exec-stopped", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.exec(id, List.of("true"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("is not running");
        });
  }

  @Test
  default void anArchivePutIntoACreatedContainerIsReadBackAndSeenByItsProcesses() {
    ContainerEngine engine = subject();
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
  default void aMissingPathInAnArchiveRequestIs404() {
    ContainerEngine engine = subject();
    String id = engine.create(spec("no-path", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    assertThatThrownBy(() -> engine.getArchive(id, "/berth-no-such-file"))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> engine.openArchive(id, "/berth-no-such-file").close())
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  default void anOpenedArchiveStreamsTheSameFile() throws Exception {
    ContainerEngine engine = subject();
    String id = engine.create(spec("archive-stream", List.of("sleep", "300"), Map.of(), Map.of(), ""));
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    engine.putArchive(id, "/tmp", new ByteArrayInputStream(new TarWriter().file("big.bin", 0644, big).finish()));
    try (InputStream in = engine.openArchive(id, "/tmp/big.bin")) {
      assertThat(TarReader.read(in)).singleElement().satisfies(e -> {
        assertThat(e.name()).isEqualTo("big.bin");
        assertThat(e.content()).isEqualTo(big);
      });
    }
  }

  @Test
  default void eventsReportStartAndDieWithTheContainersLabels() throws Exception {
    ContainerEngine engine = subject();
    var seen = new CopyOnWriteArrayList<ContainerEvent>();
    try (AutoCloseable sub = engine.events(seen::add)) {
      Thread.sleep(200); // the real engine's stream needs a moment to open
      String id = engine.create(spec("events", List.of("sleep", "300"), Map.of("role", "watched"), Map.of(), ""));
      engine.start(id);
      engine.stop(id, 0);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(seen).filteredOn(e -> e.id().equals(id)).extracting(ContainerEvent::action).contains("start", "die"));
      assertThat(seen).filteredOn(e -> e.id().equals(id) && e.action().equals("die"))
          .allSatisfy(e -> {
            assertThat(e.labels()).containsEntry("role", "watched");
            assertThat(e.exitCode()).isEqualTo(137); // sleep ignores nothing, but stop -t 0 kills
          });
    }
  }

  @Test
  default void cpuSharesPrivilegeAndEntrypointAreApplied() {
    ContainerEngine engine = subject();
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
}
