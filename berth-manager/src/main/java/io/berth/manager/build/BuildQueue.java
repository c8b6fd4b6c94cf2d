package io.berth.manager.build;

import io.berth.core.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The placer's decisions for one pass, a pure function of the runs not yet ended, the ready build
 * nodes and {@code now}: which running runs fail (their node was lost, or they ran out of time),
 * which queued runs start on which node, and each waiting run's place in its node's queue.
 *
 * <p>A queued run waits for the node the ring gives its build, even when another has a free slot,
 * so its caches stay warm; runs start in the order they were queued.
 */
final class BuildQueue {
  /** The {@code berth.build.slots} label's default: builds at once per node. */
  static final int DEFAULT_SLOTS = 2;

  /** A run by its build and number. */
  record RunId(String build, int number) {
    static RunId of(Run r) {
      return new RunId(r.build(), r.number());
    }
  }

  record Failure(RunId run, String reason, String step) {}

  record Start(RunId run, String node) {}

  /** What one pass does: fail, start, and the place of each run left waiting (null: no place to wait for). */
  record Plan(List<Failure> failures, List<Start> starts, Map<RunId, Integer> places) {}

  private BuildQueue() {}

  /**
   * @param active the code runs queued or running
   * @param buildNodes ready nodes labelled {@code berth.build=true}, with their slots
   * @param timeout each build's limit
   */
  static Plan plan(List<Run> active, Map<String, Integer> buildNodes, ToIntFunction<String> timeout, Instant now) {
    List<Failure> failures = new ArrayList<>();
    List<Start> starts = new ArrayList<>();
    Map<RunId, Integer> places = new HashMap<>();
    Map<String, Integer> used = new HashMap<>();
    for (Run r : active) {
      if (!Run.RUNNING.equals(r.state())) continue;
      String step = r.currentStep();
      Duration limit = Duration.ofSeconds(timeout.applyAsInt(r.build()));
      if (!buildNodes.containsKey(r.node())) {
        failures.add(new Failure(RunId.of(r), "build node " + r.node() + " was lost " + during(step), step));
      } else if (r.startedAt() != null && !now.isBefore(r.startedAt().plus(limit))) {
        failures.add(new Failure(RunId.of(r), "timed out after " + Durations.words(limit) + " " + (step == null ? "before its first step"
            : "in step " + step), step));
      } else {
        used.merge(r.node(), 1, Integer::sum);
      }
    }
    BuildRing ring = new BuildRing(buildNodes.keySet());
    Map<String, Integer> waiting = new HashMap<>();
    List<Run> queued = active.stream().filter(r -> Run.QUEUED.equals(r.state()))
        .sorted(Comparator.comparing(Run::at).thenComparing(Run::build).thenComparing(Run::number)).toList();
    for (Run r : queued) {
      String node = ring.owner(r.build()).orElse(null);
      if (node == null) {
        places.put(RunId.of(r), null);
      } else if (used.getOrDefault(node, 0) < buildNodes.get(node)) {
        used.merge(node, 1, Integer::sum);
        starts.add(new Start(RunId.of(r), node));
      } else {
        places.put(RunId.of(r), waiting.merge(node, 1, Integer::sum));
      }
    }
    return new Plan(failures, starts, places);
  }

  private static String during(String step) {
    return step == null ? "before its first step" : "during step " + step;
  }

  /** A node's slots: its {@code berth.build.slots} label, or {@value #DEFAULT_SLOTS} when it is missing or not a positive number. */
  static int slots(Map<String, String> labels) {
    try {
      int n = Integer.parseInt(labels.getOrDefault("berth.build.slots", "").trim());
      return n > 0 ? n : DEFAULT_SLOTS;
    } catch (NumberFormatException e) {
      return DEFAULT_SLOTS;
    }
  }

  /** True for a node that takes builds. */
  static boolean takesBuilds(Map<String, String> labels) {
    return "true".equals(labels.get("berth.build"));
  }
}
