package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.work.RegistryAuth;
import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildReport;
import io.berth.engine.BusyboxImage;
import io.berth.engine.ContainerEngine;
import io.berth.engine.LocalEngines;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against a real dockerd (node22 of {@link LocalEngines}) with a real git repository: a prepare
 * step in a container that finds its cache on the second run, {@code docker build} of what it made,
 * a Dockerfile error in docker's words, and a push to a registry that is not there failing at push.
 */
class BuildRunIT {
  static final int NODE = 22;
  static LocalEngines engines;
  static ContainerEngine engine;
  static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    engines = LocalEngines.builder().nodes(1).firstNode(NODE).start();
    engine = engines.node(NODE).engine();
  }

  @AfterAll
  static void stop() {
    timer.shutdownNow();
    if (engines != null) engines.close();
  }

  @Test
  void theSecondRunFindsItsCacheAndEveryRunBuildsTheImageThenFailsToPushToNoRegistry() throws Exception {
    GitFixture repo = new GitFixture(dir);
    String commit = repo.commit("main", Map.of(
        "Dockerfile", "FROM " + BusyboxImage.REFERENCE + "\nCOPY out.txt /out.txt\n",
        "berth-build.yml", """
            steps:
              - name: fetch
                image: %s
                run: |
                  if test -f .deps/dep.txt; then echo "dep cached"; else echo downloading; echo dep > .deps/dep.txt; fi
                  echo built > out.txt
                caches: [.deps]
            """.formatted(BusyboxImage.REFERENCE)));
    FakeBuildManager manager = new FakeBuildManager();
    Reports reports = new Reports(manager, Clock.systemUTC());
    BuildTools tools = new BuildTools(dir.resolve("builds"), new GitCheckout(), new PrepareSteps(engine, RegistryAuth.NONE),
        new ImageSteps(engine), Clock.systemUTC(), timer);

    for (int run = 1; run <= 2; run++) {
      BuildJob job = new BuildJob("it-app", run, repo.url(), "main", "Dockerfile", ".", "127.0.0.1:1/team/app", null,
          List.of(), false, 300, null);
      new BuildRun(job, reports.open("it-app", run), tools).run();
      reports.flush();
      int number = run;
      List<String> prepare = manager.got.stream().filter(r -> r.run() == number).flatMap(r -> r.events().stream())
          .filter(e -> e.step().equals("prepare") && e.kind().equals(BuildReport.Event.LOG)).map(BuildReport.Event::text).toList();
      assertThat(prepare).contains(run == 1 ? "downloading" : "dep cached");
      BuildReport.Result result = manager.got.stream().filter(r -> r.run() == number && r.result() != null)
          .findFirst().orElseThrow().result();
      assertThat(result.failedStep()).isEqualTo("push");
      assertThat(engine.hasImage("127.0.0.1:1/team/app:" + commit.substring(0, 7))).isTrue();
    }
    assertThat(dir.resolve("builds/it-app/cache/dirs/.deps/dep.txt")).exists();
    assertThat(engine.listContainers(true, Map.of("berth.build", "it-app"))).isEmpty();
  }

  @Test
  void aDockerfileErrorFailsAtImageWithDockersWords() throws Exception {
    GitFixture repo = new GitFixture(dir);
    repo.commit("main", Map.of("Dockerfile", "FROM " + BusyboxImage.REFERENCE + "\nRUN false\n"));
    FakeBuildManager manager = new FakeBuildManager();
    Reports reports = new Reports(manager, Clock.systemUTC());
    BuildTools tools = new BuildTools(dir.resolve("builds"), new GitCheckout(), new PrepareSteps(engine, RegistryAuth.NONE),
        new ImageSteps(engine), Clock.systemUTC(), timer);
    BuildJob job = new BuildJob("it-broken", 1, repo.url(), "main", "Dockerfile", ".", "127.0.0.1:1/team/broken", null,
        List.of(), true, 300, null);
    new BuildRun(job, reports.open("it-broken", 1), tools).run();
    reports.flush();
    BuildReport.Result result = manager.result("it-broken");
    assertThat(result.failedStep()).isEqualTo("image");
    assertThat(result.message()).contains("returned a non-zero code: 1");
  }
}
