package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildReport;
import io.berth.cluster.wire.BuildReport.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRunTest {
  private static final String DOCKERFILE = "FROM busybox\nRUN echo hi\n";
  private static final String PREPARE = "steps:\n  - name: compile\n    image: busybox\n    run: make\n    caches: [m2]\n";
  @TempDir Path dir;
  private BuildFixture node;

  @BeforeEach
  void node() throws Exception {
    node = new BuildFixture(dir);
    node.engine.addImage("busybox");
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void aRunClonesBuildsTagsWithTheShortCommitAndPushesWithTheRunsAuth() throws Exception {
    String commit = node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE));

    BuildReport.Result result = node.run(node.job("main"));

    String image = BuildFixture.IMAGE + ":" + commit.substring(0, 7);
    assertThat(result).isEqualTo(new BuildReport.Result("ok", null, null, commit, image));
    assertThat(node.engine.pushes()).containsExactly(image + " AUTH");
    assertThat(node.manager.events("app")).filteredOn(e -> !e.kind().equals(Event.LOG))
        .extracting(e -> e.step() + " " + e.kind() + " " + (e.outcome() == null ? "" : e.outcome()))
        .containsExactly("clone start ", "clone end ok", "prepare start ", "prepare end skipped",
            "image start ", "image end ok", "push start ", "push end ok");
    assertThat(node.manager.events("app")).filteredOn(e -> e.kind().equals(Event.END)).allSatisfy(e -> assertThat(e.millis()).isNotNull());
    assertThat(node.lines("clone")).contains("commit " + commit);
    assertThat(node.lines("image")).contains("Step 2/2 : RUN echo hi");
  }

  @Test
  void prepareStepsRunAsContainersWithTheirCachesAndTheirOutputInTheLog() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", PREPARE));
    node.output = List.of("downloading junit", "BUILD SUCCESS");

    assertThat(node.run(node.job("main")).outcome()).isEqualTo("ok");

    assertThat(node.lines("prepare")).containsSubsequence("--- compile (busybox)", "downloading junit", "BUILD SUCCESS");
    assertThat(dir.resolve("builds/app/cache/m2")).isDirectory();
    assertThat(node.engine.listContainers(true, Map.of("berth.build", "app"))).isEmpty();
  }

  @Test
  void aFailingPrepareStepFailsTheRunAtPrepareAndKeepsItsLog() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", PREPARE));
    node.output = List.of("[ERROR] COMPILATION ERROR");
    node.exitCode = 2;

    BuildReport.Result result = node.run(node.job("main"));

    assertThat(result.outcome()).isEqualTo("failed");
    assertThat(result.failedStep()).isEqualTo("prepare");
    assertThat(result.message()).isEqualTo("compile exited with 2");
    assertThat(node.lines("prepare")).contains("[ERROR] COMPILATION ERROR");
    assertThat(node.engine.pushes()).isEmpty();
  }

  @Test
  void anUnknownFieldInBerthBuildYmlFailsAtPrepareNamingItsLine() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", "steps:\n  - image: a\n    run: b\n    cache: [m2]\n"));
    assertThat(failedAt("prepare", "main")).startsWith("berth-build.yml line 4: steps[0]: unknown field 'cache'");
  }

  @Test
  void aMissingDockerfileFailsAtImageNamingIt() throws Exception {
    node.repo.commit("main", Map.of("README", "no Dockerfile"));
    assertThat(failedAt("image", "main")).startsWith("Dockerfile 'Dockerfile' not found in the repository at ");
  }

  @Test
  void aDockerfileErrorFailsAtImageWithDockersWords() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", "FROM busybox\nRUN false\n"));
    assertThat(failedAt("image", "main")).isEqualTo("The command '/bin/sh -c false' returned a non-zero code: 1");
  }

  @Test
  void aRefusedPushFailsAtPush() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE));
    node.engine.refusePushes("denied: requested access to the resource is denied");
    assertThat(failedAt("push", "main")).isEqualTo("denied: requested access to the resource is denied");
  }

  @Test
  void aMissingBranchFailsAtCloneWithGitsWords() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE));
    assertThat(failedAt("clone", "nope")).contains("couldn't find remote ref nope");
  }

  @Test
  void aCancelStopsTheRunningStepAndRemovesItsContainer() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", PREPARE));
    node.exitCode = null; // the step runs on until stopped
    BuildJob job = node.job("main");
    BuildRun run = new BuildRun(job, node.reports.open(job.build(), job.run()), node.tools);
    node.onStart = id -> run.cancel();

    BuildReport.Result result = node.run(run);

    assertThat(result.outcome()).isEqualTo("cancelled");
    assertThat(result.failedStep()).isEqualTo("prepare");
    assertThat(node.engine.listContainers(true, Map.of("berth.build", "app"))).isEmpty();
  }

  @Test
  void theRunsTimeLimitStopsTheStepAndFailsTheRun() throws Exception {
    node.repo.commit("main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", PREPARE));
    node.exitCode = null;
    BuildJob j = node.job("main");
    BuildJob job = new BuildJob(j.build(), j.run(), j.gitUrl(), j.ref(), j.dockerfile(), j.context(), j.image(), j.tag(),
        j.caches(), j.noCache(), 1, j.registryAuth());

    BuildReport.Result result = node.run(job);

    assertThat(result.outcome()).isEqualTo("failed");
    assertThat(result.failedStep()).isEqualTo("prepare");
    assertThat(result.message()).isEqualTo("timed out after 1.0 s");
  }

  /** Runs {@code ref}, which must fail at {@code step}; returns the run's message. */
  private String failedAt(String step, String ref) {
    BuildReport.Result result = node.run(node.job(ref));
    assertThat(result.outcome()).isEqualTo("failed");
    assertThat(result.failedStep()).isEqualTo(step);
    return result.message();
  }
}
