package io.berth.manager.build;

import io.berth.cluster.wire.BuildReport;
import io.berth.core.error.BerthException;
import io.berth.manager.activity.Activity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a build node's report batches ({@code POST /v1/cluster/build-report}) on any manager: each
 * batch's log lines become one log chunk (its key is the batch's {@code seq}, so a batch sent twice
 * is taken once), its step events the run's steps, and the last batch's result the run's end, after
 * the {@code deploy} step when the build names an app.
 */
final class BuildReports {
  private static final Logger log = LoggerFactory.getLogger(BuildReports.class);
  private final BuildStore store;
  private final Clock clock;
  private final Builds.Deployer deployer;
  private final Activity activity;

  BuildReports(BuildStore store, Clock clock, Builds.Deployer deployer, Activity activity) {
    this.activity = activity;
    this.store = store;
    this.clock = clock;
    this.deployer = deployer;
  }

  void accept(String node, BuildReport report) {
    if (report.build() == null || report.seq() < 0) throw new BerthException.Invalid("build and seq (from 0) are required");
    Run run = store.requireRun(report.build(), report.run());
    if (!Run.RUNNING.equals(run.state()) || !node.equals(run.node())) {
      // The run was cancelled, failed by the placer, or moved: the agent stops it when its job leaves the list.
      throw new BerthException.Conflict("RunNotRunning", "run " + report.build() + "#" + report.run() + " is " + run.state()
          + (run.node() == null || node.equals(run.node()) ? "" : " on " + run.node()) + ", not running on " + node);
    }
    String chunk = BuildStore.logs(report.build(), report.run()) + String.format("%010d", report.seq());
    if (store.raw().get(chunk).isPresent()) {
      // This batch was taken already. A result in it still ends the run: an agent restarted mid-run runs
      // the job again from the start and numbers its batches from 0 again (the log keeps the first try's).
      if (report.result() != null) finish(run, report, new ArrayList<>(run.steps()));
      return;
    }
    StringBuilder text = new StringBuilder();
    List<Run.Step> steps = new ArrayList<>(run.steps());
    for (BuildReport.Event e : report.events()) apply(e, steps, text);
    long room = Math.max(0, BuildStore.LOG_CAP - run.logBytes());
    String kept = keep(text.toString(), room, run.logBytes() > 0 && room == 0);
    store.appendLog(report.build(), report.run(), report.seq(), kept);
    long bytes = run.logBytes() + kept.getBytes(StandardCharsets.UTF_8).length;
    Run now = store.update(store.raw(), report.build(), report.run(), r -> r.withSteps(steps, bytes)).orElseThrow();
    if (report.result() != null) finish(now, report, steps);
  }

  /** The text within the cap; the first time the cap is reached, a line that says so. */
  static String keep(String text, long room, boolean alreadyFull) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= room) return text;
    if (alreadyFull) return "";
    String note = "[log capped at " + (BuildStore.LOG_CAP >> 20) + " MiB: later lines are not kept]\n";
    // Cut by bytes: a character split at the cut shows as one replacement character.
    return new String(bytes, 0, (int) Math.max(0, room - note.length()), StandardCharsets.UTF_8) + note;
  }

  static void apply(BuildReport.Event e, List<Run.Step> steps, StringBuilder text) {
    Instant at = Instant.ofEpochMilli(e.at());
    switch (e.kind() == null ? "" : e.kind()) {
      case BuildReport.Event.START -> {
        steps.add(new Run.Step(e.step(), at, null, null));
        text.append("==> ").append(e.step()).append('\n');
      }
      case BuildReport.Event.END -> {
        for (int i = steps.size() - 1; i >= 0; i--) {
          Run.Step s = steps.get(i);
          if (s.name().equals(e.step()) && s.millis() == null) {
            long ms = e.millis() != null ? e.millis() : e.at() - s.startedAt().toEpochMilli();
            steps.set(i, new Run.Step(s.name(), s.startedAt(), ms, e.outcome()));
            break;
          }
        }
        text.append("<== ").append(e.step()).append(' ').append(e.outcome()).append(" in ").append(seconds(e.millis())).append('\n');
      }
      default -> text.append(e.text() == null ? "" : e.text()).append('\n');
    }
  }

  static String seconds(Long millis) {
    return millis == null ? "?" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private void finish(Run run, BuildReport report, List<Run.Step> steps) {
    BuildReport.Result res = report.result();
    String outcome = switch (res.outcome() == null ? "" : res.outcome()) {
      case Run.OK -> Run.OK;
      case Run.CANCELLED -> Run.CANCELLED;
      default -> Run.FAILED;
    };
    String message = res.message();
    String failedStep = res.failedStep();
    Build b = store.find(run.build()).orElse(null);
    if (outcome.equals(Run.OK) && b != null && b.deploy() != null && res.image() != null) {
      String deployed = deploy(run, b, res.image(), steps);
      if (deployed != null) {
        outcome = Run.FAILED;
        message = deployed;
        failedStep = "deploy";
      }
    }
    String how = outcome;
    String why = message;
    String step = failedStep;
    Builds.recordEnd(activity, store.update(store.raw(), run.build(), run.number(), r -> r.ended() ? null : r.withSteps(steps, r.logBytes())
        .ended(how, why, step, clock.instant(), res.commit(), res.image())).orElse(null));
    BuildRuns.deleteJob(store.raw(), run); // at once, rather than at the leader's next pass
    log.info("build-run-ended build={} run={} outcome={} image={}", run.build(), run.number(), how, res.image());
  }

  /** The deploy step: null when it started the new version, else why it failed. */
  private String deploy(Run run, Build b, String image, List<Run.Step> steps) {
    Instant start = clock.instant();
    steps.add(new Run.Step("deploy", start, null, null));
    StringBuilder text = new StringBuilder("==> deploy\n");
    String failure = null;
    try {
      text.append(deployer.deploy(b.deploy(), image, run.user())).append('\n');
    } catch (BerthException e) {
      failure = "deploy to app " + b.deploy() + " failed: " + e.getMessage();
      text.append(failure).append('\n');
    }
    long ms = clock.millis() - start.toEpochMilli();
    String outcome = failure == null ? Run.OK : Run.FAILED;
    steps.set(steps.size() - 1, new Run.Step("deploy", start, ms, outcome));
    text.append("<== deploy ").append(outcome).append(" in ").append(seconds(ms)).append('\n');
    store.appendLog(run.build(), run.number(), DEPLOY_SEQ, text.toString());
    return failure;
  }

  /** The deploy step's log chunk sorts after every batch an agent sends. */
  static final long DEPLOY_SEQ = 9_999_999_998L;
}
