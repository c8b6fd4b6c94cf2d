package io.berth.manager.build;

import io.berth.core.error.BerthException;
import io.berth.store.StateStore;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and cancels code runs on any manager: a run is queued in the store and the leader's
 * {@link BuildPlacer} does the rest; a cancel ends the run and removes its job at once, which the
 * node's agent sees as its job leaving the list.
 */
final class BuildRuns {
  private static final Logger log = LoggerFactory.getLogger(BuildRuns.class);
  private final BuildStore store;
  private final Clock clock;
  private final Runnable placer;

  BuildRuns(BuildStore store, Clock clock, Runnable placer) {
    this.store = store;
    this.clock = clock;
    this.placer = placer;
  }

  /** What a run asks for beyond the build's settings; every field optional. */
  record Request(String ref, String tag, Boolean noCache) {}

  /** Queues a run of code build {@code b} for {@code user}. */
  Run start(Build b, String user, Request req, String trigger) {
    if (!b.isCode()) {
      throw new BerthException.Conflict("NotACodeBuild", "build " + b.name() + " records docker builds; it has no git repository to run "
          + "(berth build create NAME --git URL makes one)");
    }
    String ref = req.ref() == null || req.ref().isBlank() ? b.branch() : BuildRequests.ref(req.ref(), "ref");
    String tag = req.tag() == null || req.tag().isBlank() ? null : tag(req.tag());
    boolean noCache = Boolean.TRUE.equals(req.noCache());
    int n = store.add(b.name(), number -> Run.queued(b.name(), number, clock.instant(), user, ref, tag, noCache, trigger));
    log.info("build-run-queued build={} run={} ref={} user={} trigger={}", b.name(), n, ref, user, trigger);
    placer.run();
    return store.requireRun(b.name(), n);
  }

  /** Cancels run {@code number} (a run already ended stays as it ended). */
  Run cancel(String build, int number, String user) {
    Optional<Run> r = store.update(store.raw(), build, number, run -> run.ended() ? null
        : run.ended(Run.CANCELLED, "cancelled by " + user, run.currentStep(), clock.instant(), null, null));
    Run run = r.orElseThrow(() -> new BerthException.NotFound("RunNotFound", "build " + build + " has no run " + number));
    if (run.node() != null) deleteJob(store.raw(), run);
    placer.run();
    return run;
  }

  static void deleteJob(StateStore via, Run run) {
    via.delete(BuildStore.jobKey(run.node(), run.build(), run.number()));
  }

  /** Docker's tag grammar: up to 128 of letters, digits, '_', '.', '-', not starting with '.' or '-'. */
  static String tag(String tag) {
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) throw BuildRequests.invalid("tag: not an image tag: '" + tag + "'");
    return tag;
  }
}
