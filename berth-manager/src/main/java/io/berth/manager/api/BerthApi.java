package io.berth.manager.api;

import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.activity.Activity;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.node.NodeRegistry;
import java.util.List;
import java.util.Map;

/**
 * The Berth API on the manager's API address. Every route but {@code /healthz} needs the admin
 * token as {@code Authorization: Bearer …} (users and roles come with the identity work).
 */
public final class BerthApi {
  private final ClusterSecrets secrets;
  private final NodeRegistry nodes;
  private final Activity activity;

  public BerthApi(ClusterSecrets secrets, NodeRegistry nodes, Activity activity) {
    this.secrets = secrets;
    this.nodes = nodes;
    this.activity = activity;
  }

  public Routes routes() {
    return new Routes(this::authenticate)
        .get("/healthz", r -> Routes.Reply.text(200, "ok\n"))
        .get("/v1/nodes", r -> nodes.list())
        .get("/v1/nodes/{name}", r -> nodes.find(r.param("name")).orElseThrow(
            () -> new BerthException.NotFound("NodeNotFound", "no such node: " + r.param("name"))))
        .get("/v1/cells", r -> cells(nodes.list()))
        .get("/v1/activity", r -> activity.recent(limit(r)))
        .get("/v1/join-token", r -> Map.of("token", secrets.joinToken().toString()));
  }

  private void authenticate(Request r) {
    if (r.path().equals("/healthz")) return;
    if (r.path().equals(io.berth.manager.registry.Registry.TOKEN_PATH)) return; // docker's Basic auth: the token service checks it
    String auth = r.header("Authorization").orElseThrow(() -> new BerthException.Unauthorized(
        "missing credentials: send 'Authorization: Bearer TOKEN' (the admin token is in the manager's data dir, admin.token)"));
    if (!auth.startsWith("Bearer ") || !secrets.isAdminToken(auth.substring(7).trim())) {
      throw new BerthException.Unauthorized("invalid token");
    }
    r.principal(io.berth.core.identity.Principal.adminToken());
  }

  private static int limit(Request r) {
    String s = r.query("limit").orElse("100");
    try {
      int n = Integer.parseInt(s);
      if (n < 1 || n > 1000) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("limit must be a number from 1 to 1000: " + s);
    }
  }

  /** Ready nodes in the shape of Diego's Receptor {@code CellResponse}. */
  static List<Cell> cells(List<Node> nodes) {
    return nodes.stream().filter(n -> n.state() == NodeState.READY)
        .map(n -> new Cell(n.name(), n.labels().getOrDefault("zone", ""),
            new Cell.Capacity(n.engine().memoryBytes() >> 20, 0, 0, n.engine().cpus()),
            Map.of("docker", List.of())))
        .toList();
  }

  /** Receptor's {@code CellResponse}; {@code disk_mb} and {@code containers} are 0 until the scheduler reserves them. */
  record Cell(String cellId, String zone, Capacity capacity, Map<String, List<String>> rootfsProviders) {
    record Capacity(long memoryMb, long diskMb, int containers, int cpus) {}
  }
}
