package io.berth.cluster.wire;

import java.util.List;

/**
 * What a build node's agent tells the manager about a run ({@code POST /v1/cluster/build-report}),
 * in batches numbered by {@code seq} from 0: the step events since the last batch and, in the last
 * batch, the run's result. Steps are {@code clone}, {@code prepare}, {@code image}, {@code push}
 * (the manager adds {@code deploy}).
 */
public record BuildReport(String build, int run, long seq, List<Event> events, Result result) {
  public BuildReport {
    events = events == null ? List.of() : List.copyOf(events);
  }

  /**
   * One event of a step: {@code start}, a {@code log} line, or {@code end} with its outcome
   * ({@code ok}, {@code failed}, {@code skipped}) and duration.
   */
  public record Event(long at, String step, String kind, String text, String outcome, Long millis) {
    public static final String START = "start";
    public static final String LOG = "log";
    public static final String END = "end";
  }

  /**
   * How the run ended: {@code ok}, {@code failed} (with the failing step and its message, such as
   * git's or docker's own words) or {@code cancelled}; on {@code ok} the commit built and the image
   * pushed ({@code 127.0.0.1:5000/team/app:1a2b3c4}).
   */
  public record Result(String outcome, String failedStep, String message, String commit, String image) {}
}
