package io.berth.manager.api;

import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.activity.Activity;
import io.berth.manager.cluster.ClusterEndpoint;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Managers;
import io.berth.manager.lrp.ReceptorApi;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StoreHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Berth API on the manager's API address. The guard finds the caller (a user's token or
 * password, or the admin token) on every route, and denies by default: a few routes are open to
 * anyone ({@link #OPEN}), the routes of users' resources to any signed-in user (each checks the
 * caller's role itself), and every other route — the cluster's own machinery — to administrators.
 * Every mutating call lands in the audit log, but for routers' accepted status reports (a heartbeat).
 */
public final class BerthApi {
  /** Routes anyone may call: the health check, signing in, and the registry's token service (which checks credentials itself). */
  static final Set<String> OPEN = Set.of("/healthz", "/v1/login", "/v1/registry/token");
  /** The console's page and files ({@code console.ConsoleFiles}): open, the page signs in through the API. */
  static final Set<String> CONSOLE = Set.of("/", "/index.html");
  /** Path prefixes of users' resources and their own settings: any signed-in user; the handlers check roles. */
  static final List<String> USERS = List.of("/v1/whoami", "/v1/users", "/v1/tokens", "/v1/members/", "/v1/apps", "/v1/images",
      "/v1/bundles", "/v1/builds", "/v1/audit", "/v1/metrics/", "/v1/stream", "/v1/containers", "/v1/managers",
      "/v1/alerts");
  /** The Receptor's cookie: its value is an {@code Authorization} header's ({@code Basic …} or {@code Bearer …}). */
  static final String RECEPTOR_COOKIE = "receptor_authorization";
  private final ClusterSecrets secrets;
  private final NodeRegistry nodes;
  private final Activity activity;
  private final Access access;
  private final Clock clock;
  private Managers managers;
  private Supplier<StoreHealth> storeHealth;
  private boolean cors;
  private BackupApi backup;
  private Supplier<Object> forecast = () -> {
    throw new BerthException.Unavailable("this manager makes no capacity forecast");
  };

  public BerthApi(ClusterSecrets secrets, NodeRegistry nodes, Activity activity, Access access, Clock clock) {
    this.secrets = secrets;
    this.nodes = nodes;
    this.activity = activity;
    this.access = access;
    this.clock = clock;
  }

  /** Lists {@code managers} at {@code /v1/managers} and reports the leader and the store's health at {@code /healthz}. */
  public BerthApi managers(Managers managers, Supplier<StoreHealth> storeHealth) {
    this.managers = managers;
    this.storeHealth = storeHealth;
    return this;
  }

  /** Answers CORS on the Receptor's routes ({@code --cors}), as Diego's receptor does. */
  public BerthApi cors(boolean on) {
    this.cors = on;
    return this;
  }

  /** Serves {@code GET /v1/nodes/forecast} (docs/autoscale.md); before {@code /v1/nodes/{name}}, which would take it for a node. */
  public BerthApi forecast(Supplier<Object> view) {
    this.forecast = view;
    return this;
  }

  /** Serves {@code GET /v1/backup}: the store and the data dir's files as one backup file. */
  public BerthApi backup(StateStore store, Path dataDir, String berthVersion) {
    this.backup = new BackupApi(store, dataDir, berthVersion, clock);
    return this;
  }

  public Routes routes() {
    Routes routes = new Routes(this::authenticate).cors(cors ? ReceptorApi::serves : null)
        .onMutation((r, status) -> {
          // A router's status report every few seconds is the machinery's heartbeat, not a change anyone made.
          if (r.path().startsWith("/v1/routers/") && status < 400) return;
          Principal p = r.principal();
          access.audit(new AuditEntry(clock.instant(), p.user(), p.via(), r.remoteAddress(), r.method() + " " + r.path(), r.target(),
              status, AuditEntry.outcome(status)));
        })
        .get("/healthz", r -> managers == null ? Routes.Reply.text(200, "ok\n") : Health.reply(storeHealth.get(), managers.leader()))
        .get("/v1/managers", r -> managers == null ? List.of() : managers.view())
        .get("/v1/pulse", r -> ClusterEndpoint.pulse())
        .get("/v1/nodes", r -> nodes.list())
        .get("/v1/nodes/forecast", r -> forecast.get())
        .get("/v1/nodes/{name}", r -> NodeName.lookup(r.param("name")).flatMap(nodes::find).orElseThrow(
            () -> new BerthException.NotFound("NodeNotFound", "no such node: " + r.param("name"))))
        .get("/v1/cells", r -> cells(nodes.list()))
        .get("/v1/activity", r -> activity.recent(limit(r)))
        .get("/v1/join-token", r -> Map.of("token", secrets.joinToken().toString()));
    if (backup != null) backup.addRoutes(routes);
    return routes;
  }

  private void authenticate(Request r) {
    String path = r.path();
    // A build's webhook is authenticated by the build's secret, not a token (build.BuildHooks).
    if (OPEN.contains(path) || (r.method().equals("POST") && path.startsWith("/v1/builds/") && path.endsWith("/hook"))) {
      if (!path.equals("/healthz")) r.principal(Principal.anonymous());
      return;
    }
    if (CONSOLE.contains(path) || path.startsWith("/assets/")) return;
    Principal p = ReceptorApi.serves(path) ? receptorCaller(r) : access.caller(r.header("Authorization"), r.remoteAddress());
    r.principal(p);
    StoreAccess.requireSignedIn(p, r.method() + " " + path);
    boolean userRoute = USERS.stream().anyMatch(path::startsWith)
        || (r.method().equals("GET") && (path.equals("/v1/nodes") || path.startsWith("/v1/nodes/")));
    if (!userRoute) StoreAccess.requireAdmin(p, r.method() + " " + path);
  }

  /**
   * On the Receptor's routes, as Diego's receptor: the {@code receptor_authorization} cookie stands for a missing
   * {@code Authorization} header (browsers' EventSource sends no header), and Basic may be the Receptor's own user.
   */
  private Principal receptorCaller(Request r) {
    Optional<String> auth = r.header("Authorization").filter(h -> !h.isBlank()).or(() -> r.cookie(RECEPTOR_COOKIE));
    return access.receptorCaller(auth, r.remoteAddress());
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

  /** A cell's {@code containers} without a {@code containerslots} label: Diego's rep default. */
  static final int DEFAULT_CONTAINERS = 256;

  /**
   * Ready nodes in the shape of Diego's Receptor {@code CellResponse}, with their capacity as Diego's rep
   * reports it: the engine's memory, the {@code disk_mb} label (engines report no disk: 0 without it), and
   * the {@code containerslots} label or {@value #DEFAULT_CONTAINERS}.
   */
  static List<Cell> cells(List<Node> nodes) {
    return nodes.stream().filter(n -> n.state() == NodeState.READY)
        .map(n -> new Cell(n.name().value(), n.labels().getOrDefault("zone", ""),
            new Cell.Capacity(n.engine().memoryBytes() >> 20, label(n, "disk_mb", 0), (int) label(n, "containerslots", DEFAULT_CONTAINERS),
                n.engine().cpus()),
            Map.of("docker", List.of())))
        .toList();
  }

  /** A node's numeric label, or {@code otherwise} when it is missing, malformed or negative (as a malformed containerslots limits nothing). */
  private static long label(Node n, String name, long otherwise) {
    try {
      long v = Long.parseLong(n.labels().getOrDefault(name, "").trim());
      return v >= 0 && v <= Integer.MAX_VALUE ? v : otherwise;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** Receptor's {@code CellResponse} ({@code cpus} is Berth's own). */
  record Cell(String cellId, String zone, Capacity capacity, Map<String, List<String>> rootfsProviders) {
    record Capacity(long memoryMb, long diskMb, int containers, int cpus) {}
  }
}
