package io.berth.agent.build;

import io.berth.agent.work.RegistryAuth;
import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildReport;
import io.berth.engine.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A build node in a test: a real git repository, a {@link FakeEngine} whose step containers play a
 * script (write these lines, exit with this code, or run on), and the reports a manager would get.
 */
final class BuildFixture implements AutoCloseable {
  static final String IMAGE = "127.0.0.1:5000/team/app";
  final Path dir;
  final GitFixture repo;
  final FakeEngine engine = new FakeEngine();
  final FakeBuildManager manager = new FakeBuildManager();
  final Reports reports = new Reports(manager, Clock.systemUTC());
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final BuildTools tools;
  /** What a step container does once started: its output lines and exit code; null runs on until removed. */
  volatile Integer exitCode = 0;
  volatile List<String> output = List.of();
  volatile Consumer<String> onStart = id -> {};

  BuildFixture(Path dir) throws Exception {
    this.dir = dir;
    this.repo = new GitFixture(dir);
    this.tools = new BuildTools(dir.resolve("builds"), new GitCheckout(), new PrepareSteps(engine, RegistryAuth.NONE),
        new ImageSteps(engine), Clock.systemUTC(), timer);
    engine.onEvent(e -> {
      if (!e.action().equals("start") || !e.labels().containsKey("berth.build")) return;
      Thread.ofVirtual().start(() -> play(e.id(), e.name(), e.labels().get("berth.build")));
    });
  }

  private void play(String id, String name, String build) {
    try {
      onStart.accept(id);
      Path log = tools.buildsDir().resolve(build).resolve("tmp/logs").resolve(name.substring(name.lastIndexOf('-') + 1) + ".log");
      Files.write(log, output);
      if (exitCode != null) engine.exit(id, exitCode);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static BuildJob job(String build, int run, String url, String ref) {
    return new BuildJob(build, run, url, ref, "Dockerfile", ".", IMAGE, null, List.of(), false, 60, "AUTH");
  }

  BuildJob job(String ref) {
    return job("app", 1, repo.url(), ref);
  }

  /** Runs {@code job} here and now and returns its result as the manager got it. */
  BuildReport.Result run(BuildJob job) {
    return run(new BuildRun(job, reports.open(job.build(), job.run()), tools));
  }

  BuildReport.Result run(BuildRun run) {
    run.run();
    reports.flush();
    return manager.result("app");
  }

  /** The log lines of {@code step}. */
  List<String> lines(String step) {
    return manager.events("app").stream().filter(e -> e.step().equals(step) && e.kind().equals(BuildReport.Event.LOG))
        .map(BuildReport.Event::text).toList();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
