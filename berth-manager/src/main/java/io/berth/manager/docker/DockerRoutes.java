package io.berth.manager.docker;

import static io.berth.manager.docker.Route.Kind.AGGREGATED;
import static io.berth.manager.docker.Route.Kind.ANSWERED;
import static io.berth.manager.docker.Route.Kind.PROXIED;
import static io.berth.manager.docker.Route.Kind.SCHEDULED;
import static io.berth.manager.docker.Route.Kind.UNSUPPORTED;

import io.berth.core.error.BerthException;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.build.BuildRecords;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.Events;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import io.berth.manager.identity.Access;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.registry.DockerLogin;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Docker endpoint's one route table. Each route is answered (by the manager alone), aggregated
 * (fan out to every ready node, or read from the fleet's cache, and merge), scheduled (the scheduler
 * picks the node), proxied (forwarded verbatim to the node that holds the container, image or exec),
 * or unsupported (501 naming the route). Handlers return a {@link Reply}; the endpoint writes it.
 */
public final class DockerRoutes {
  /** A network's or volume's name, not the collection's own {@code create} or {@code prune}. */
  private static final String NAMED = "(?!(?:create|prune)(?:/|$))([^/]+)";
  /** A network's reference: an id, {@code NAME} or {@code NODE/NAME}, not the collection's own {@code create} or {@code prune}. */
  private static final String NETWORK = "(?!(?:create|prune)(?:/|$))((?:[^/]+/)?[^/]+)";
  private final NodeLink link;
  private final Access access;
  private final ContainerRoutes containers;
  private final Listings listings;
  private final Creator creator;
  private final Info info;
  private final Images images;
  private final Events events;
  private final LocalResources local;
  private final NetworkRoutes networks;
  private final Builds builds;
  private final List<Route> table;
  private volatile DockerLogin login;

  /**
   * @param fleet the nodes' engines, which the manager starts and closes
   * @param planLock the cluster's plan step, which LRP placements share (null: a local one, for tests); on a store several
   *     managers share, container names are also reserved in it ({@link ContainerNames})
   */
  public DockerRoutes(Fleet fleet, PlanLock planLock, Scheduler scheduler, String managerName, Access access) {
    ClusterView cluster = fleet.view();
    Ownership owners = new Ownership(access);
    this.access = access;
    this.link = fleet.link();
    this.events = fleet.events();
    PlanLock plan = planLock == null ? PlanLock.local() : planLock;
    ContainerNames names = new ContainerNames(plan.sharedStore(), cluster, Clock.systemUTC());
    this.containers = new ContainerRoutes(cluster, link, owners, names);
    this.listings = new Listings(cluster, link, owners);
    this.creator = new Creator(cluster, link, scheduler, plan, names);
    this.info = new Info(cluster, scheduler, managerName);
    this.images = new Images(cluster, link);
    this.local = new LocalResources(cluster, link);
    this.builds = new Builds(cluster, creator);
    this.networks = new NetworkRoutes(cluster, link, creator, containers);
    this.table = table();
  }

  /** The routes, tried in order; the first whose method and path match answers. */
  private List<Route> table() {
    List<Route> all = new ArrayList<>(collectionRoutes());
    all.addAll(itemRoutes());
    return List.copyOf(all);
  }

  /** The routes on the endpoint itself and on whole collections: answered, aggregated over the nodes, or scheduled. */
  private List<Route> collectionRoutes() {
    return List.of(
        Route.exact("GET HEAD", "/_ping", ANSWERED, (ex, p) -> ping(ex)),
        Route.exact("GET", "/version", ANSWERED, (ex, p) -> new Reply.Json(200, info.version())),
        Route.exact("GET", "/info", AGGREGATED, (ex, p) -> new Reply.Json(200, info.info())),
        Route.exact("GET", "/containers/json", AGGREGATED, (ex, p) -> listings.containers(ex)),
        Route.exact("GET", "/images/json", AGGREGATED, (ex, p) -> new Reply.Json(200, listings.images())),
        Route.exact("POST", "/images/load", AGGREGATED, images::everyNode),
        Route.exact("POST", "/images/create", AGGREGATED, images::everyNode),
        Route.exact("POST", "/build", SCHEDULED, builds::build),
        Route.exact("GET", "/images/get", PROXIED, images::save),
        Route.exact("GET", "/events", AGGREGATED, (ex, p) -> events(ex)),
        Route.exact("GET", "/networks", AGGREGATED, (ex, p) -> networks.list(ex)),
        Route.exact("GET", "/volumes", AGGREGATED, (ex, p) -> new Reply.Json(200, local.volumes(ex.versioned()))),
        Route.exact("POST", "/networks/create", SCHEDULED, (ex, p) -> networks.create(ex)),
        Route.exact("POST", "/networks/prune", AGGREGATED, (ex, p) -> networks.prune(ex)),
        Route.exact("POST", "/volumes/create", AGGREGATED, local::create),
        Route.exact("POST", "/commit", PROXIED, containers::commit),
        Route.exact("GET", "/system/df", AGGREGATED, (ex, p) -> new Reply.Json(200, listings.diskUsage(ex))),
        Route.exact("POST", "/containers/prune", AGGREGATED, (ex, p) -> new Reply.Json(200, listings.prune(ownOnly(ex, ex.versioned())))),
        Route.exact("POST", "/containers/create", SCHEDULED, (ex, p) -> create(ex)),
        Route.exact("POST", "/auth", ANSWERED, (ex, p) -> auth(ex)));
  }

  /** The routes on one container, image, network, volume or exec, and the 501 for anything else. */
  private List<Route> itemRoutes() {
    return List.of(
        Route.of("GET", DockerPaths.onContainer("/json"), PROXIED, containers::inspect),
        Route.of("POST", DockerPaths.onContainer("/exec"), PROXIED, containers::execCreate),
        Route.of("POST", DockerPaths.onContainer("/rename"), PROXIED, containers::rename),
        Route.of("*", DockerPaths.onContainer(null), PROXIED, containers::call),
        Route.regex("POST", "^/images/(.+)/push$", PROXIED, images::push),
        Route.regex("POST", "^/images/(.+)/tag$", AGGREGATED, images::tag),
        Route.regex("GET", "^/images/(.+)/(json|history|tag)$", PROXIED, images::read),
        Route.regex("DELETE", "^/images/(.+)$", AGGREGATED, images::remove),
        Route.regex("POST", "^/networks/" + NETWORK + "/(connect|disconnect)$", PROXIED,
            (ex, p) -> networks.connect(ex, DockerPaths.decode(p[0]), p[1])),
        Route.regex("GET", "^/networks/" + NETWORK + "$", PROXIED, (ex, p) -> networks.inspect(ex, DockerPaths.decode(p[0]))),
        Route.regex("DELETE", "^/networks/" + NETWORK + "$", PROXIED, (ex, p) -> networks.remove(ex, DockerPaths.decode(p[0]))),
        Route.regex("GET", "^/volumes/" + NAMED + "$", AGGREGATED, (ex, p) -> local.inspect(ex, "get " + p[0] + ": no such volume")),
        Route.regex("DELETE", "^/volumes/" + NAMED + "$", AGGREGATED, (ex, p) -> local.remove(ex, "get " + p[0] + ": no such volume")),
        Route.regex("*", DockerPaths.EXEC, PROXIED, containers::exec),
        Route.of("*", path -> new String[0], UNSUPPORTED, (ex, p) -> {
          throw new BerthException.Unsupported(ex.request().method() + " " + ex.path() + " is not supported by Berth's Docker endpoint yet");
        }));
  }

  /** Makes {@code POST /build} check and record builds as resources ({@link BuildRecords}). */
  public void buildRecords(BuildRecords records) {
    builds.records = records;
  }

  /** Lets {@code POST /auth} ({@code docker login}) check Berth's users. */
  public void login(DockerLogin login) {
    this.login = login;
  }

  /** Who may do what: the callers' roles, and the audit of every mutating call. */
  Access access() {
    return access;
  }

  /** Answers one request; false when the answer took the connection over (it must then be closed). */
  boolean handle(Exchange ex) throws IOException {
    String method = ex.request().method();
    String path = ex.path();
    for (Route route : table) {
      String[] parts = route.match(method, path);
      if (parts != null) return DockerEndpoint.write(ex, route.handler().handle(ex, parts), link);
    }
    throw new IllegalStateException("the route table ends with a route for every request");
  }

  /** The CLI negotiates its API version from these headers; a HEAD answer carries no body. */
  private static Reply ping(Exchange ex) {
    return new Reply.Bytes(200, "text/plain; charset=utf-8", ex.request().method().equals("HEAD") ? new byte[0] : "OK".getBytes(),
        Map.of("Docker-Experimental", "false", "Ostype", "linux", "Cache-Control", "no-cache, no-store, must-revalidate"));
  }

  private Reply create(Exchange ex) {
    CreateRequest request = CreateRequest.of(ex);
    return Reply.Bytes.of(creator.create(request, CreateRules.check(ex, request, containers::touch)));
  }

  private Reply events(Exchange ex) throws IOException {
    Events.Merge merge = events.open(ownOnly(ex, ex.versioned()));
    return new Reply.Stream(out -> merge.relay(out, ex.clientIn()), merge::close);
  }

  private Reply auth(Exchange ex) {
    DockerLogin l = login;
    if (l == null) throw new BerthException.Unsupported("docker login is not offered by this manager");
    return new Reply.Json(200, l.login(ex.body(), ex.client().getInetAddress().getHostAddress()));
  }

  /** A request target whose filters also ask for the caller's own containers, unless the caller is an administrator. */
  private static String ownOnly(Exchange ex, String target) {
    if (ex.caller().admin()) return target;
    return CreateRules.withLabelFilter(target, ex.queryParam("filters"), Ownership.OWNER + "=" + ex.caller().user());
  }
}
