package io.berth.manager.build;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/builds…}: create, list, show, edit and remove builds, and rotate a build's webhook secret.
 * The secret ({@code hook_secret}) is shown only to those who may take {@code webhook} (masters, owners).
 */
final class BuildApi {
  private final BuildStore store;
  private final Access access;
  private final Clock clock;
  private final PushCheck push;

  /** Whether a caller may push to a registry repository (and, for a new one, becomes its owner). */
  @FunctionalInterface
  interface PushCheck {
    boolean mayPush(Principal p, String repository);
  }

  /** A build with its runs, oldest first: the build's fields, then {@code runs}. */
  record View(String name, String createdBy, Instant createdAt, List<Run> runs, String gitUrl, String branch, String dockerfile,
              String context, String image, List<String> caches, String deploy, Integer timeoutSeconds, String hookSecret) {}

  BuildApi(BuildStore store, Access access, Clock clock, PushCheck push) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.push = push;
  }

  Routes addRoutes(Routes routes) {
    return routes
        .get("/v1/builds", r -> {
          List<Build> out = new ArrayList<>();
          for (Build b : store.builds()) {
            if (access.allows(r.principal(), ResourceKind.BUILD, b.name(), Action.VIEW)) out.add(shown(r.principal(), b));
          }
          return out;
        })
        .post("/v1/builds", this::create)
        .get("/v1/builds/{name}", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.READ);
          Build b = shown(r.principal(), store.get(name));
          return new View(b.name(), b.createdBy(), b.createdAt(), store.runs(name), b.gitUrl(), b.branch(), b.dockerfile(), b.context(),
              b.image(), b.caches(), b.deploy(), b.timeoutSeconds(), b.hookSecret());
        })
        .put("/v1/builds/{name}", this::edit)
        .post("/v1/builds/{name}/hook-secret", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.WEBHOOK);
          Build b = code(store.get(name)).withSecret(BuildRequests.secret());
          store.put(b);
          return Map.of("name", name, "hook_secret", b.hookSecret());
        })
        .delete("/v1/builds/{name}", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.DELETE);
          Build b = store.get(name);
          for (Run run : store.runs(name)) {
            if (!run.ended()) {
              throw new BerthException.Conflict("BuildRunning", "build " + name + " has run " + run.number() + " " + run.state()
                  + ": cancel it first (berth build cancel " + name + " " + run.number() + ")");
            }
          }
          store.remove(b.name());
          access.removed(ResourceKind.BUILD, name);
          return null;
        });
  }

  private Build create(Request r) throws IOException {
    Principal p = r.principal();
    BuildRequests.Body body = r.body(BuildRequests.Body.class);
    Build b = BuildRequests.create(body, p.user(), clock.instant());
    access.requireCreate(p, ResourceKind.BUILD, b.name(), Action.SETTINGS);
    checkTargets(p, b);
    if (!store.create(b)) throw new BerthException.Conflict("BuildExists", "build " + b.name() + " exists: change it with berth build edit");
    access.created(p, ResourceKind.BUILD, b.name());
    r.target(b.name());
    return b;
  }

  private Build edit(Request r) throws IOException {
    String name = r.param("name");
    access.require(r.principal(), ResourceKind.BUILD, name, Action.SETTINGS);
    Build old = code(store.get(name));
    Build b = BuildRequests.edit(old, r.body(BuildRequests.Body.class));
    if (!b.image().equals(old.image()) || (b.deploy() != null && !b.deploy().equals(old.deploy()))) checkTargets(r.principal(), b);
    store.put(b);
    return shown(r.principal(), b);
  }

  /** The image repository must be one the caller may push to, and the app one they may deploy. */
  private void checkTargets(Principal p, Build b) {
    if (!push.mayPush(p, b.image())) {
      throw new BerthException.Forbidden(p.user() + " may not push to image repository " + b.image()
          + ": a developer of it (or of its group) may, or name a repository nobody has yet");
    }
    if (b.deploy() != null) access.require(p, ResourceKind.APP, b.deploy(), Action.DEPLOY);
  }

  private static Build code(Build b) {
    if (!b.isCode()) throw new BerthException.Conflict("NotACodeBuild", "build " + b.name() + " records docker builds and has no settings");
    return b;
  }

  private Build shown(Principal p, Build b) {
    return access.allows(p, ResourceKind.BUILD, b.name(), Action.WEBHOOK) ? b : b.withSecret(null);
  }
}
