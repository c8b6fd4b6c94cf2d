package io.berth.manager.build;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds as resources with members. A build is named by the repository its image is tagged for
 * ({@code docker build -t 127.0.0.1:5000/team/app:v1} is build {@code team/app}); its first run
 * makes the caller its owner, later runs need {@code run} there. Each run is kept (who, when,
 * tags, outcome), the newest {@value #RUNS_KEPT} per build.
 */
public final class BuildRecords {
  static final String BUILDS = "/berth/builds/";
  static final String RUNS = "/berth/build-runs/";
  static final int RUNS_KEPT = 50;
  private final StateStore store;
  private final Clock clock;
  private final Access access;
  private final AtomicLong seq = new AtomicLong();

  public record Build(String name, String createdBy, Instant createdAt) {}

  public record Run(String build, Instant at, String user, List<String> tags, String outcome, String message) {}

  /** A build with its runs, newest last. */
  public record View(String name, String createdBy, Instant createdAt, List<Run> runs) {}

  public BuildRecords(StateStore store, Clock clock, Access access) {
    this.store = store;
    this.clock = clock;
    this.access = access;
  }

  /** The build name for the tags of {@code docker build -t …}: the first tag's repository without registry host or tag. */
  public static String nameFor(List<String> tags, String user) {
    if (tags.isEmpty()) return user + "-untagged";
    String t = tags.get(0);
    int slash = t.indexOf('/');
    if (slash > 0 && (t.substring(0, slash).contains(".") || t.substring(0, slash).contains(":")
        || t.substring(0, slash).equals("localhost"))) {
      t = t.substring(slash + 1);
    }
    int at = t.indexOf('@');
    if (at >= 0) t = t.substring(0, at);
    int colon = t.lastIndexOf(':');
    if (colon > t.lastIndexOf('/')) t = t.substring(0, colon);
    return t;
  }

  /** Checks that {@code p} may run build {@code name} (creating it, with {@code p} as owner, on its first run). */
  public void begin(Principal p, String name) {
    if (store.get(BUILDS + Keys.segment(name)).isPresent()) {
      access.require(p, ResourceKind.BUILD, name, Action.RUN);
      return;
    }
    access.requireCreate(p, ResourceKind.BUILD, name, Action.RUN);
    if (store.create(BUILDS + Keys.segment(name), Json.bytes(new Build(name, p.user(), clock.instant())), 0)) {
      access.created(p, ResourceKind.BUILD, name);
    } else {
      access.require(p, ResourceKind.BUILD, name, Action.RUN); // another call created it first
    }
  }

  /** Records how a run ended. */
  public void finished(Principal p, String name, List<String> tags, String outcome, String message) {
    String prefix = RUNS + Keys.segment(name) + "/";
    store.put(prefix + String.format("%016d-%06d", clock.millis(), seq.incrementAndGet() % 1_000_000),
        Json.bytes(new Run(name, clock.instant(), p.user(), List.copyOf(tags), outcome, message)));
    List<KeyValue> runs = store.range(prefix, 0).items();
    for (int i = 0; i < runs.size() - RUNS_KEPT; i++) store.delete(runs.get(i).key());
  }

  public Routes addApiRoutes(Routes routes) {
    return routes
        .get("/v1/builds", r -> {
          List<Build> out = new ArrayList<>();
          for (KeyValue kv : store.range(BUILDS, 0).items()) {
            Build b = Json.read(kv.value(), Build.class);
            if (access.allows(r.principal(), ResourceKind.BUILD, b.name(), Action.VIEW)) out.add(b);
          }
          return out;
        })
        .get("/v1/builds/{name}", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.READ);
          Build b = find(name);
          List<Run> runs = new ArrayList<>();
          for (KeyValue kv : store.range(RUNS + Keys.segment(name) + "/", 0).items()) runs.add(Json.read(kv.value(), Run.class));
          return new View(b.name(), b.createdBy(), b.createdAt(), runs);
        })
        .delete("/v1/builds/{name}", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.DELETE);
          find(name);
          for (KeyValue kv : store.range(RUNS + Keys.segment(name) + "/", 0).items()) store.delete(kv.key());
          store.delete(BUILDS + Keys.segment(name));
          access.removed(ResourceKind.BUILD, name);
          return null;
        });
  }

  private Build find(String name) {
    return store.get(BUILDS + Keys.segment(name)).map(kv -> Json.read(kv.value(), Build.class))
        .orElseThrow(() -> new BerthException.NotFound("BuildNotFound", "no such build: " + name));
  }
}
