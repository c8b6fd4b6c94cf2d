package io.berth.manager.build;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a build as stored at {@code /berth/build-runs/{name}/n{number}}. The first six fields are
 * what a {@code docker build} through the manager records (who, when, tags, how it ended); a code
 * build's run adds its number, state and steps. {@code outcome} is set once the run ends, to the
 * same word as {@code state}.
 *
 * @param state {@code queued}, {@code running}, {@code ok}, {@code failed} or {@code cancelled}
 * @param place among the queued runs waiting for the same node: 1 for the next to start
 * @param logBytes how much of the log is kept (at most {@link BuildStore#LOG_CAP})
 */
record Run(String build, Instant at, String user, List<String> tags, String outcome, String message,
           Integer number, String state, String ref, String tag, Boolean noCache, String trigger, String node,
           Integer place, Instant startedAt, Instant endedAt, List<Step> steps, String failedStep, String commit,
           String image, Long logBytes) {
  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String OK = "ok";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";

  /** One timed step of a run: {@code clone}, {@code prepare}, {@code image}, {@code push}, {@code deploy}. */
  record Step(String name, Instant startedAt, Long millis, String outcome) {}

  /** A run of a {@code docker build} through the manager, recorded once it ended. */
  static Run dockerBuild(String build, int number, Instant at, String user, List<String> tags, String outcome, String message) {
    return new Run(build, at, user, List.copyOf(tags), outcome, message, number, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  /** A new code run, queued. */
  static Run queued(String build, int number, Instant at, String user, String ref, String tag, boolean noCache, String trigger) {
    return new Run(build, at, user, List.of(), null, null, number, QUEUED, ref, tag, noCache, trigger, null, null, null, null,
        List.of(), null, null, null, 0L);
  }

  /** True once the run ended; a run with no state is a {@code docker build}'s, recorded when it ended. */
  boolean ended() {
    return state == null || (!state.equals(QUEUED) && !state.equals(RUNNING));
  }

  /** The step the run is in (the last one started), or null before the first. */
  String currentStep() {
    return steps == null || steps.isEmpty() ? null : steps.getLast().name();
  }

  Run placed(String onNode, Instant at) {
    return new Run(build, this.at, user, tags, outcome, message, number, RUNNING, ref, tag, noCache, trigger, onNode, null, at, endedAt,
        steps, failedStep, commit, this.image, logBytes);
  }

  Run inPlace(Integer p) {
    return new Run(build, at, user, tags, outcome, message, number, state, ref, tag, noCache, trigger, node, p, startedAt, endedAt,
        steps, failedStep, commit, image, logBytes);
  }

  /** The run ended as {@code how}; {@code why} and the failing step when it failed. */
  Run ended(String how, String why, String inStep, Instant at, String builtCommit, String builtImage) {
    return new Run(build, this.at, user, tags, how, why, number, how, ref, tag, noCache, trigger, node, null, startedAt, at,
        closeSteps(at, how), inStep, builtCommit == null ? commit : builtCommit, builtImage == null ? image : builtImage, logBytes);
  }

  Run withSteps(List<Step> next, long bytes) {
    return new Run(build, at, user, tags, outcome, message, number, state, ref, tag, noCache, trigger, node, place, startedAt, endedAt,
        List.copyOf(next), failedStep, commit, image, bytes);
  }

  Run withResult(String builtCommit, String builtImage) {
    return new Run(build, at, user, tags, outcome, message, number, state, ref, tag, noCache, trigger, node, place, startedAt, endedAt,
        steps, failedStep, builtCommit, builtImage, logBytes);
  }

  /** A step still open when the run ends closes with the run's outcome (a lost node, a timeout, a cancel). */
  private List<Step> closeSteps(Instant at, String how) {
    List<Step> out = new ArrayList<>(steps == null ? List.of() : steps);
    if (!out.isEmpty() && out.getLast().millis() == null) {
      Step s = out.getLast();
      out.set(out.size() - 1, new Step(s.name(), s.startedAt(), at.toEpochMilli() - s.startedAt().toEpochMilli(), how));
    }
    return List.copyOf(out);
  }
}
