package io.berth.manager.build;

import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.identity.Access;
import io.berth.store.StateStore;
import java.time.Clock;
import java.util.List;

/**
 * Builds made by {@code docker build} through the manager, as resources with members. Such a build is
 * named by the repository its image is tagged for ({@code docker build -t 127.0.0.1:5000/team/app:v1}
 * is build {@code team/app}); its first run makes the caller its owner, later runs need {@code run}
 * there. Each run is kept (who, when, tags, outcome) with the code builds' runs ({@link Builds}).
 */
public final class BuildRecords {
  private final BuildStore store;
  private final Clock clock;
  private final Access access;

  public BuildRecords(StateStore store, Clock clock, Access access) {
    this.store = new BuildStore(store);
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
    if (store.find(name).isPresent()) {
      access.require(p, ResourceKind.BUILD, name, Action.RUN);
      return;
    }
    access.requireCreate(p, ResourceKind.BUILD, name, Action.RUN);
    if (store.create(Build.dockerBuild(name, p.user(), clock.instant()))) {
      access.created(p, ResourceKind.BUILD, name);
    } else {
      access.require(p, ResourceKind.BUILD, name, Action.RUN); // another call created it first
    }
  }

  /** Records how a run ended. */
  public void finished(Principal p, String name, List<String> tags, String outcome, String message) {
    store.add(name, n -> Run.dockerBuild(name, n, clock.instant(), p.user(), tags, outcome, message));
  }
}
