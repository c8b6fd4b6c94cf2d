package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The times in a build run's record ({@code GET /v1/builds/NAME/runs/N}): each step's, and the
 * push-to-canary timeline cut into segments that follow one another, so they add up to the whole.
 */
final class RunTimes {
  /** One segment of a timeline: what happened and how long it took. */
  record Segment(String what, long millis) {}

  private RunTimes() {}

  /** Milliseconds of the step {@code name}; -1 when the run has no such step or it has no time yet. */
  static long step(JsonNode run, String name) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("name").asText().equals(name) && s.path("millis").isNumber()) return s.path("millis").asLong();
    }
    return -1;
  }

  /** From queued to ended, in milliseconds. */
  static long whole(JsonNode run) {
    return between(instant(run, "at"), instant(run, "ended_at"));
  }

  /** The whole run less its clone and push, in milliseconds: what the aim compares with {@code docker build} alone. */
  static long wholeLessCloneAndPush(JsonNode run) {
    return whole(run) - Math.max(0, step(run, "clone")) - Math.max(0, step(run, "push"));
  }

  /** How much longer {@code berth} took than {@code direct}, in percent of {@code direct}, medians of each. */
  static double overheadPercent(double[] berth, double[] direct) {
    return (LrpBench.median(berth) / LrpBench.median(direct) - 1) * 100;
  }

  /**
   * The way from {@code git push} to the new version's first answer: the push ({@code pushStart} to
   * {@code pushed}), the webhook until the run was queued, its wait for a slot, the job's way to the
   * node, each step, the time between steps (reports, the manager taking them), and from the run's
   * end to {@code firstNew}, the first answer of the new version through nginx.
   */
  static List<Segment> pushToCanary(JsonNode run, Instant pushStart, Instant pushed, Instant firstNew) {
    Instant queued = instant(run, "at");
    Instant started = instant(run, "started_at");
    Instant ended = instant(run, "ended_at");
    JsonNode steps = run.path("steps");
    Instant firstStep = steps.isEmpty() ? ended : Instant.parse(steps.get(0).path("started_at").asText());
    List<Segment> out = new ArrayList<>();
    out.add(new Segment("git push", between(pushStart, pushed)));
    out.add(new Segment("webhook, until the run is queued", between(pushed, queued)));
    out.add(new Segment("queue (waiting for a slot)", between(queued, started)));
    out.add(new Segment("job to the build node", between(started, firstStep)));
    long inSteps = 0;
    for (JsonNode s : steps) {
      long ms = s.path("millis").asLong();
      inSteps += ms;
      out.add(new Segment("step " + s.path("name").asText(), ms));
    }
    out.add(new Segment("between steps (reports)", between(firstStep, ended) - inSteps));
    out.add(new Segment("run ended -> first 200 of the new version through nginx", between(ended, firstNew)));
    return out;
  }

  static long total(List<Segment> segments) {
    return segments.stream().mapToLong(Segment::millis).sum();
  }

  private static Instant instant(JsonNode run, String field) {
    JsonNode v = run.path(field);
    if (!v.isTextual()) throw new IllegalArgumentException("run " + run.path("number").asText("?") + " has no " + field + ": " + run);
    return Instant.parse(v.asText());
  }

  private static long between(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
