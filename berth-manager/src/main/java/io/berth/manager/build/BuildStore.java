package io.berth.manager.build;

import io.berth.cluster.Json;
import io.berth.cluster.wire.BuildJob;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Builds, runs, run logs and build jobs in the store, so that every manager serves them and an agent
 * may report to any manager. Runs are numbered per build and the newest {@value #RUNS_KEPT} kept; a
 * run's log is one key per report batch, at most {@link #LOG_CAP} bytes per run.
 */
final class BuildStore {
  static final String BUILDS = "/berth/builds/";
  static final String RUNS = "/berth/build-runs/";
  static final String LOGS = "/berth/build-logs/";
  static final String JOBS = "/berth/build-jobs/";
  /** One empty key per code run queued or running, so the placer reads those and not every run kept. */
  static final String ACTIVE = "/berth/build-active/";
  static final int RUNS_KEPT = 50;
  static final long LOG_CAP = 2L << 20;
  private final StateStore store;

  BuildStore(StateStore store) {
    this.store = store;
  }

  StateStore raw() {
    return store;
  }

  Optional<Build> find(String name) {
    return store.get(BUILDS + Keys.segment(name)).map(kv -> Json.read(kv.value(), Build.class));
  }

  Build get(String name) {
    return find(name).orElseThrow(() -> new BerthException.NotFound("BuildNotFound", "no such build: " + name));
  }

  List<Build> builds() {
    List<Build> out = new ArrayList<>();
    for (KeyValue kv : store.range(BUILDS, 0).items()) out.add(Json.read(kv.value(), Build.class));
    return out;
  }

  boolean create(Build b) {
    return store.create(BUILDS + Keys.segment(b.name()), Json.bytes(b), 0);
  }

  void put(Build b) {
    store.put(BUILDS + Keys.segment(b.name()), Json.bytes(b));
  }

  static String runsPrefix(String build) {
    return RUNS + Keys.segment(build) + "/";
  }

  static String runKey(String build, int number) {
    return runsPrefix(build) + String.format("n%010d", number);
  }

  static String logs(String build, int number) {
    return LOGS + Keys.segment(build) + "/" + String.format("%010d", number) + "/";
  }

  /** Every run of a build, oldest first. */
  List<Run> runs(String build) {
    List<Run> out = new ArrayList<>();
    for (KeyValue kv : store.range(runsPrefix(build), 0).items()) out.add(Json.read(kv.value(), Run.class));
    return out;
  }

  static String activeKey(String build, int number) {
    return ACTIVE + Keys.segment(build) + "#" + number;
  }

  /**
   * The code runs queued or running, by their {@link #ACTIVE} keys: what the placer reads. A key
   * left by a run that ended (a manager stopped between the run's end and the key's delete) is
   * deleted through {@code via}.
   */
  List<Run> activeRuns(StateStore via) {
    List<Run> out = new ArrayList<>();
    for (KeyValue kv : store.range(ACTIVE, 0).items()) {
      String id = kv.key().substring(ACTIVE.length());
      int hash = id.lastIndexOf('#');
      Optional<Run> r = run(Keys.unsegment(id.substring(0, hash)), Integer.parseInt(id.substring(hash + 1)));
      if (r.isPresent() && !r.get().ended()) out.add(r.get());
      else via.delete(kv.key());
    }
    return out;
  }

  Optional<Run> run(String build, int number) {
    return store.get(runKey(build, number)).map(kv -> Json.read(kv.value(), Run.class));
  }

  Run requireRun(String build, int number) {
    return run(build, number).orElseThrow(() -> new BerthException.NotFound("RunNotFound", "build " + build + " has no run " + number));
  }

  /** Records a docker build's run, or a new code run: the number after the newest, taken with create-if-absent. */
  int add(String build, IntFunction<Run> made) {
    for (int attempt = 0; attempt < 20; attempt++) {
      List<KeyValue> items = store.range(runsPrefix(build), 0).items();
      int last = 0;
      for (KeyValue kv : items) {
        String tail = kv.key().substring(runsPrefix(build).length());
        if (tail.startsWith("n")) last = Math.max(last, Integer.parseInt(tail.substring(1)));
      }
      int n = last + 1;
      Run run = made.apply(n);
      if (store.create(runKey(build, n), Json.bytes(run), 0)) {
        if (!run.ended()) store.put(activeKey(build, n), new byte[0]);
        trim(build, items);
        return n;
      }
    }
    throw new BerthException.Conflict("BuildBusy", "build " + build + " is being run by many callers at once: try again");
  }

  /** Drops the oldest runs (and their logs) beyond {@value #RUNS_KEPT}; a run still queued or running is never dropped. */
  private void trim(String build, List<KeyValue> before) {
    int excess = before.size() + 1 - RUNS_KEPT;
    for (int i = 0; i < before.size() && excess > 0; i++) {
      Run r = Json.read(before.get(i).value(), Run.class);
      if (!r.ended()) continue;
      store.delete(before.get(i).key());
      if (r.number() != null) deleteLogs(build, r.number());
      excess--;
    }
  }

  /**
   * Changes a run by compare-and-put, again on a conflict: {@code change} returns null to leave it.
   * Empty when the run is gone.
   */
  Optional<Run> update(StateStore via, String build, int number, UnaryOperator<Run> change) {
    String key = runKey(build, number);
    while (true) {
      Optional<KeyValue> kv = via.get(key);
      if (kv.isEmpty()) return Optional.empty();
      Run now = Json.read(kv.get().value(), Run.class);
      Run next = change.apply(now);
      if (next == null) return Optional.of(now);
      if (via.compareAndPut(key, Json.bytes(next), kv.get().modRevision(), 0).isPresent()) {
        if (next.ended() && !now.ended()) via.delete(activeKey(build, number));
        return Optional.of(next);
      }
    }
  }

  void appendLog(String build, int number, long seq, String text) {
    store.put(logs(build, number) + String.format("%010d", seq), text.getBytes(StandardCharsets.UTF_8));
  }

  List<KeyValue> logChunks(String build, int number) {
    return store.range(logs(build, number), 0).items();
  }

  void deleteLogs(String build, int number) {
    for (KeyValue kv : logChunks(build, number)) store.delete(kv.key());
  }

  /** Removes a build with its runs and logs. */
  void remove(String build) {
    for (KeyValue kv : store.range(runsPrefix(build), 0).items()) store.delete(kv.key());
    for (KeyValue kv : store.range(LOGS + Keys.segment(build) + "/", 0).items()) store.delete(kv.key());
    for (KeyValue kv : store.range(ACTIVE + Keys.segment(build) + "#", 0).items()) store.delete(kv.key());
    store.delete(BUILDS + Keys.segment(build));
  }

  static String jobKey(String node, String build, int number) {
    return JOBS + node + "/" + Keys.segment(build) + "#" + number;
  }

  /** Every job of every node: the placer's view of what runs where. */
  List<KeyValue> jobs() {
    return store.range(JOBS, 0).items();
  }

  static BuildJob job(KeyValue kv) {
    return Json.read(kv.value(), BuildJob.class);
  }
}
