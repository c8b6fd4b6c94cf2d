package io.berth.manager.build;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.store.KeyValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A build's runs: {@code POST /v1/builds/NAME/runs} starts one, {@code GET …/runs} and {@code …/runs/N}
 * show them, {@code POST …/runs/N/cancel} cancels, and {@code GET …/runs/N/log} is the log as plain
 * text, streamed (chunked) until the run ends with {@code ?follow=1}. {@code N} may be {@code last}.
 */
final class RunApi {
  private final BuildStore store;
  private final Access access;
  private final BuildRuns runs;
  private final BuildApi.PushCheck push;

  RunApi(BuildStore store, Access access, BuildRuns runs, BuildApi.PushCheck push) {
    this.store = store;
    this.access = access;
    this.runs = runs;
    this.push = push;
  }

  Routes addRoutes(Routes routes) {
    return routes
        .post("/v1/builds/{name}/runs", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.RUN);
          Build b = store.get(name);
          if (b.isCode() && !push.mayPush(r.principal(), b.image())) {
            throw new BerthException.Forbidden(r.principal().user() + " may not push to image repository " + b.image()
                + ": the run would build an image it cannot push");
          }
          BuildRuns.Request req = r.optionalBody(BuildRuns.Request.class).orElse(new BuildRuns.Request(null, null, null));
          return runs.start(b, r.principal().user(), req, "manual");
        })
        .get("/v1/builds/{name}/runs", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.READ);
          store.get(name);
          return store.runs(name);
        })
        .get("/v1/builds/{name}/runs/{n}", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.READ);
          return store.requireRun(name, number(r, name));
        })
        .post("/v1/builds/{name}/runs/{n}/cancel", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.CANCEL);
          return runs.cancel(name, number(r, name), r.principal().user());
        })
        .get("/v1/builds/{name}/runs/{n}/log", r -> {
          String name = r.param("name");
          access.require(r.principal(), ResourceKind.BUILD, name, Action.LOGS);
          int n = number(r, name);
          store.requireRun(name, n);
          LogFollow follow = new LogFollow(store, name, n);
          if (r.query("follow").filter(f -> !f.equals("0") && !f.equals("false")).isPresent()) {
            return new Routes.Stream("text/plain; charset=utf-8", follow::write);
          }
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          for (KeyValue kv : store.logChunks(name, n)) out.write(kv.value());
          return new Routes.Reply(200, "text/plain; charset=utf-8", out.toByteArray());
        });
  }

  /** The run number in the path: a number, or {@code last} for the newest run. */
  private int number(Request r, String name) throws IOException {
    String n = r.param("n");
    if (n.equals("last")) {
      return store.runs(name).stream().filter(x -> x.number() != null).reduce((a, b) -> b)
          .orElseThrow(() -> new BerthException.NotFound("RunNotFound", "build " + name + " has no runs yet")).number();
    }
    try {
      return Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new BerthException.NotFound("RunNotFound", "build " + name + " has no run " + n + " (runs are numbered 1, 2, …)");
    }
  }
}
