package io.berth.agent.build;

import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a build on this node: clone, prepare, image, push, in order, each told to the manager
 * as a {@code start} event, its output lines and an {@code end} with outcome and duration. The first
 * step that fails ends the run, which is {@code failed} with that step and its message, or
 * {@code cancelled} when the job left the node's list; the run's time limit stops the step running
 * then and fails the run as "timed out". The result is always the report's last word.
 */
final class BuildRun implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BuildRun.class);
  /** A step's body returns this when it had nothing to do (no berth-build.yml). */
  private static final Object SKIPPED = new Object();
  private final BuildJob job;
  private final RunLog report;
  private final BuildTools tools;
  private final RunControl control = new RunControl();
  private String failedStep;
  private Workspace ws; // made in the clone step: the build's name may be refused there

  BuildRun(BuildJob job, RunLog report, BuildTools tools) {
    this.job = job;
    this.report = report;
    this.tools = tools;
  }

  /** The job left the node's list: stop what runs now. */
  void cancel() {
    control.cancel();
  }

  /** What a step does; {@code out} takes its output lines. */
  @FunctionalInterface
  interface Body<T> {
    T run(Consumer<String> out) throws StepFailed;
  }

  @Override
  public void run() {
    long started = tools.clock().millis();
    ScheduledFuture<?> timeout = job.timeoutSeconds() <= 0 ? null
        : tools.timer().schedule(() -> control.timeOut(job.timeoutSeconds()), job.timeoutSeconds(), TimeUnit.SECONDS);
    log.info("build-run-started run={} ref={}", job.id(), job.ref());
    String commit = null;
    BuildReport.Result result;
    try {
      String c = commit = step("clone", out -> {
        ws = new Workspace(tools.buildsDir(), job.build());
        String head = tools.git().checkout(ws.src(), job.gitUrl(), job.ref(), out, control);
        out.accept("commit " + head);
        return head;
      });
      step("prepare", this::prepare);
      String reference = step("image", out -> tools.images().build(job, ws, c, out, control));
      step("push", out -> {
        tools.images().push(job, reference, out, control);
        return reference;
      });
      result = new BuildReport.Result("ok", null, null, commit, reference);
    } catch (StepFailed e) {
      result = new BuildReport.Result(control.cancelled() ? "cancelled" : "failed", failedStep, e.getMessage(), commit, null);
    } finally {
      if (timeout != null) timeout.cancel(false);
      if (ws != null) ws.cleanTmp();
    }
    log.info("build-run-ended run={} outcome={} step={} ms={}", job.id(), result.outcome(), result.failedStep(),
        tools.clock().millis() - started);
    report.finish(result);
  }

  private Object prepare(Consumer<String> out) throws StepFailed {
    Path file = ws.src().resolve(BuildFile.FILE);
    if (!Files.isRegularFile(file)) {
      out.accept("no " + BuildFile.FILE + " in the repository: nothing to prepare");
      return SKIPPED;
    }
    BuildFile steps;
    try {
      steps = BuildFile.parse(Files.readString(file));
    } catch (IOException e) {
      throw new StepFailed("cannot read " + BuildFile.FILE + ": " + e.getMessage());
    }
    if (steps.steps().isEmpty()) return SKIPPED;
    tools.prepare().run(job, ws, steps, out, control);
    return steps;
  }

  /** Runs one step, reported from its start to its end. */
  private <T> T step(String name, Body<T> body) throws StepFailed {
    failedStep = name;
    long began = tools.clock().millis();
    report.start(name);
    Consumer<String> out = line -> report.line(name, line);
    T value;
    try {
      control.check();
      value = body.run(out);
    } catch (StepFailed e) {
      throw ended(name, began, control.reason() != null ? control.reason() : e.getMessage());
    } catch (RuntimeException e) {
      log.warn("build-step-broke run={} step={}", job.id(), name, e);
      throw ended(name, began, "the build node failed: " + e);
    }
    long ms = tools.clock().millis() - began;
    String outcome = value == SKIPPED ? "skipped" : "ok";
    report.end(name, outcome, ms, name + " " + outcome + " in " + Durations.words(ms));
    return value;
  }

  private StepFailed ended(String name, long began, String why) {
    long ms = tools.clock().millis() - began;
    report.end(name, "failed", ms, name + " failed in " + Durations.words(ms) + ": " + why);
    return new StepFailed(why);
  }

  /** A commit's short id, as image tags and logs show it. */
  static String shortId(String commit) {
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }
}
