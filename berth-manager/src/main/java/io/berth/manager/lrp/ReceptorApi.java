package io.berth.manager.lrp;

import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Diego's Receptor API on the manager's API address (behind the same credentials as the rest of
 * the Berth API, and the Receptor's own: its Basic user, its cookie; see {@code api.BerthApi}): DesiredLRPs, ActualLRPs, tasks, domains and the event stream, in the Receptor's
 * JSON. Handlers decode, call {@link LrpService}, encode; nothing else.
 */
public final class ReceptorApi {
  /** The Receptor's own paths (with {@code /v1/cells}, answered by the node API): its cookie, credentials and CORS apply there. */
  static final List<String> PATHS = List.of("/v1/desired_lrps", "/v1/actual_lrps", "/v1/tasks", "/v1/domains", "/v1/events", "/v1/cells");
  private final LrpService lrps;
  private final LrpEvents events;

  ReceptorApi(LrpService lrps, LrpEvents events) {
    this.lrps = lrps;
    this.events = events;
  }

  public Routes addTo(Routes routes) {
    return routes
        .post("/v1/desired_lrps", r -> Routes.Reply.json(201, lrps.desire(ReceptorRequests.desiredLrp(r.bytes()))))
        .get("/v1/desired_lrps", r -> lrps.desired(domain(r)))
        .get("/v1/desired_lrps/{guid}", r -> lrps.desired(process(r)))
        .put("/v1/desired_lrps/{guid}", r -> lrps.update(process(r), ReceptorRequests.update(r.bytes())))
        .delete("/v1/desired_lrps/{guid}", r -> {
          lrps.remove(process(r));
          return null;
        })
        .get("/v1/actual_lrps", r -> lrps.actuals(domain(r)))
        .get("/v1/actual_lrps/{guid}", r -> lrps.actuals(process(r)))
        .get("/v1/actual_lrps/{guid}/index/{index}", r -> lrps.actual(process(r), index(r)))
        .delete("/v1/actual_lrps/{guid}/index/{index}", r -> {
          lrps.kill(process(r), index(r));
          return null;
        })
        .post("/v1/tasks", r -> Routes.Reply.json(201, lrps.createTask(ReceptorRequests.task(r.bytes()))))
        .get("/v1/tasks", r -> lrps.tasks(domain(r)))
        .get("/v1/tasks/{guid}", r -> lrps.task(task(r)))
        .delete("/v1/tasks/{guid}", r -> {
          lrps.resolve(task(r));
          return null;
        })
        .post("/v1/tasks/{guid}/cancel", r -> {
          lrps.cancel(task(r));
          return null;
        })
        .put("/v1/domains/{domain}", r -> {
          lrps.fresh(r.param("domain"), maxAge(r.header("Cache-Control")));
          return null;
        })
        .get("/v1/domains", r -> lrps.domains().stream().sorted().toList())
        .get("/v1/events", r -> events.stream())
        .get("/v1/nodes/{name}/drain", r -> new Draining(r.param("name"), lrps.draining(r.param("name"))))
        .post("/v1/nodes/{name}/drain", r -> {
          lrps.drain(r.param("name"), true);
          return null;
        })
        .delete("/v1/nodes/{name}/drain", r -> {
          lrps.drain(r.param("name"), false);
          return null;
        });
  }

  /** True when {@code path} is one of the Receptor API's, or below one. */
  public static boolean serves(String path) {
    return PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
  }

  /** Whether a node is draining: {@code GET /v1/nodes/{name}/drain}. */
  record Draining(String node, boolean draining) {}

  private static ProcessGuid process(Request r) {
    return new ProcessGuid(r.param("guid"));
  }

  private static TaskGuid task(Request r) {
    return new TaskGuid(r.param("guid"));
  }

  private static Optional<Domain> domain(Request r) {
    return r.query("domain").map(Domain::new);
  }

  private static int index(Request r) {
    try {
      int i = Integer.parseInt(r.param("index"));
      if (i < 0) throw new NumberFormatException();
      return i;
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("index: must be a number >= 0, got '" + r.param("index") + "'");
    }
  }

  /** {@code Cache-Control: max-age=N} as a TTL; no header: fresh for ever. */
  static Duration maxAge(Optional<String> header) {
    if (header.isEmpty() || header.get().isBlank()) return null;
    for (String part : header.get().split(",")) {
      String p = part.trim();
      if (p.startsWith("max-age=")) {
        try {
          long n = Long.parseLong(p.substring("max-age=".length()));
          if (n <= 0) throw new NumberFormatException();
          return Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
          throw new BerthException.Invalid("Cache-Control: max-age must be a number of seconds > 0: " + p);
        }
      }
    }
    throw new BerthException.Invalid("Cache-Control: expected max-age=N, got '" + header.get() + "'");
  }
}
