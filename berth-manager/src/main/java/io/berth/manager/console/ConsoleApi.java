package io.berth.manager.console;

import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.Ownership;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The routes the console reads besides the rest of the API: the change stream ({@code GET
 * /v1/stream}), the Docker endpoint's containers ({@code GET /v1/containers}) and the operator's
 * counts per day ({@code GET /v1/stats/operations}). See docs/api.md.
 */
public final class ConsoleApi implements AutoCloseable {
  private final StoreAccess access;
  private final NodeRegistry nodes;
  private final Clock clock;
  private final Supplier<Fleet> docker;
  private final Ownership owners;
  private final ChangeStream changes;

  /** @param docker the fleet the Docker endpoint lists, or null while the endpoint is off (it starts after the API) */
  public ConsoleApi(StateStore store, StoreAccess access, NodeRegistry nodes, Clock clock, Supplier<Fleet> docker) {
    this.access = access;
    this.nodes = nodes;
    this.clock = clock;
    this.docker = docker;
    this.owners = new Ownership(access);
    this.changes = new ChangeStream(store, access, clock, ChangeStream.PING);
    changes.start();
  }

  public Routes addRoutes(Routes routes) {
    return routes
        .get("/v1/stream", r -> {
          StoreAccess.requireSignedIn(r.principal(), "the change stream");
          return changes.stream(r.principal());
        })
        .get("/v1/containers", this::containers)
        .get("/v1/stats/operations", this::operations);
  }

  private Object containers(Request r) {
    StoreAccess.requireSignedIn(r.principal(), "listing containers");
    Fleet d = docker.get();
    if (d == null) {
      throw new BerthException.Unavailable("containers are listed by the manager's Docker endpoint, which is off (start the manager with --docker-addr)");
    }
    String node = r.query("node").filter(n -> !n.isBlank()).orElse(null);
    if (node != null && NodeName.lookup(node).flatMap(nodes::find).isEmpty()) throw new BerthException.NotFound("NodeNotFound", "no such node: " + node);
    return d.containerRows(owners, r.principal(), node);
  }

  private Object operations(Request r) {
    StoreAccess.requireAdmin(r.principal(), "the operations statistics");
    String s = r.query("days").orElse("14");
    int days;
    try {
      days = Integer.parseInt(s);
      if (days < 1 || days > 366) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("days must be a number from 1 to 366: " + s);
    }
    LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
    return OperationStats.count(access.auditLog().read(null, OperationStats.since(today, days), Integer.MAX_VALUE), today, days);
  }

  @Override
  public void close() {
    changes.close();
  }
}
