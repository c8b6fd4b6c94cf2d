package io.berth.manager.app;

import io.berth.cluster.ManifestYaml;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Durations;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.error.BerthException;
import io.berth.core.id.ProcessGuid;
import io.berth.core.identity.Action;
import io.berth.core.identity.ResourceKind;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.activity.Activity;
import io.berth.manager.feed.LongPoll;
import io.berth.manager.fleet.InstanceLogs;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.leader.Singletons;
import io.berth.manager.lrp.Lrps;
import io.berth.store.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The manager's apps: the API under {@code /v1/apps}, the control loop that rolls versions out and
 * publishes routes, and the routers' feed ({@code /v1/routes}, {@code /v1/routers}).
 */
public final class Apps implements AutoCloseable {
  private static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private final AppStore store;
  private final AppService service;
  private final AppService leaderService;
  private final AppController controller;
  private final LongPoll routes;
  private final Lrps lrps;
  private volatile InstanceLogs logs;
  private volatile Access access;
  private volatile AutoscaleHook autoscaling = AutoscaleHook.NONE;
  private volatile Supplier<List<String>> managers = List::of;

  private Apps(AppStore store, AppService service, AppService leaderService, AppController controller, LongPoll routes, Lrps lrps) {
    this.store = store;
    this.service = service;
    this.leaderService = leaderService;
    this.controller = controller;
    this.routes = routes;
    this.lrps = lrps;
  }

  /** Starts the control loop and the routes feed; {@code knowsImages}: {@code nodes} lists each node's images. */
  public static Apps start(StateStore raw, Clock clock, Lrps lrps, Activity activity, Supplier<List<NodeView>> nodes,
                           boolean knowsImages) {
    return start(raw, Singletons.always(raw), clock, lrps, activity, nodes, knowsImages);
  }

  /** As above, the control loop passing only while {@code leader}'s gate is open, writing through its fenced store. */
  public static Apps start(StateStore raw, Singletons leader, Clock clock, Lrps lrps, Activity activity, Supplier<List<NodeView>> nodes,
                           boolean knowsImages) {
    AppStore store = new AppStore(raw);
    AppService service = new AppService(store, clock, nodes, knowsImages);
    AppStore leaderStore = leader.store() == raw ? store : new AppStore(leader.store());
    AppController controller = new AppController(leaderStore, lrps.leaderService(), clock, activity, leader.gate());
    service.onChange(controller::signal);
    AppService leaderService = leaderStore == store ? service : new AppService(leaderStore, clock, nodes, knowsImages);
    leaderService.onChange(controller::signal);
    LongPoll feed = new LongPoll(raw, Keys.SLB, e -> {});
    feed.start(1);
    lrps.routedBy(controller::routed);
    controller.start();
    controller.signal();
    return new Apps(store, service, leaderService, controller, feed, lrps);
  }

  public AppService service() {
    return service;
  }

  /** The service the leader's singletons change apps through: its writes are fenced on the leader's term (the autoscaler's scales). */
  public AppService leaderService() {
    return leaderService;
  }

  /** Where {@code /v1/apps/{name}/logs} reads containers' logs from (the Docker endpoint's engines). */
  public void logsFrom(InstanceLogs source) {
    this.logs = source;
  }

  /**
   * Names, in the route table answers of routers that ask ({@code &managers=true}), the API URLs of
   * the managers a router may move to. Only on request: an older router rejects a field it does not know.
   */
  public void managers(Supplier<List<String>> urls) {
    this.managers = urls;
  }

  /** The group's route table as domain → app, read now: how routers' traffic numbers find their apps. */
  public Map<String, String> appsByDomain(String group) {
    Map<String, String> out = new HashMap<>();
    // routers name a domain as nginx does, in lower case
    for (RouteTable.Domain d : AppStore.decode(group, store.table(group)).domains()) out.put(d.domain().toLowerCase(Locale.ROOT), d.app());
    return out;
  }

  /** Asks for a controller pass at once (a new leader's first). */
  public void signal() {
    controller.signal();
  }

  /** Runs one controller pass on the caller's thread (tests). */
  public void passNow() {
    controller.pass();
  }

  public Routes addApiRoutes(Routes r) {
    return r
        .post("/v1/apps", req -> {
          boolean dry = req.query("dry_run").map(v -> v.isEmpty() || v.equals("true") || v.equals("1")).orElse(false);
          String text = req.text();
          AppManifest given = ManifestYaml.read(text);
          String name = given.name();
          if (name != null) req.target(name);
          boolean exists = name != null && store.app(name).isPresent();
          if (exists) {
            access.require(req.principal(), ResourceKind.APP, name, Action.DEPLOY);
          } else if (name != null) {
            access.requireCreate(req.principal(), ResourceKind.APP, name, Action.DEPLOY);
          }
          AppService.Deployed d = service.deploy(text, user(req), dry);
          if (!dry && !exists) access.created(req.principal(), ResourceKind.APP, name);
          if (!dry && given.autoscale() != null) autoscaling.deployed(name, given.autoscale(), user(req));
          if (dry) return Map.of("dry_run", true, "version", AppViews.view(d.version(), d.app() == null
              ? new App(d.version().app(), "", d.version().deployedAt(), 0, 0, 0, List.of(), null, false) : d.app()));
          return Routes.Reply.json(201, status(d.app()));
        })
        .get("/v1/apps", req -> service.list().stream()
            .filter(a -> access.allows(req.principal(), ResourceKind.APP, a.name(), Action.VIEW)).map(this::status).toList())
        .get("/v1/apps/{name}", req -> status(service.get(may(req, Action.READ))))
        .delete("/v1/apps/{name}", req -> {
          service.remove(may(req, Action.DELETE), user(req));
          access.removed(ResourceKind.APP, req.param("name"));
          return null;
        })
        .get("/v1/apps/{name}/versions", req -> {
          App app = service.get(may(req, Action.READ));
          return service.versions(app.name()).stream().map(v -> AppViews.view(v, app)).toList();
        })
        .get("/v1/apps/{name}/versions/{v}", req -> {
          App app = service.get(may(req, Action.READ));
          return AppViews.view(service.version(app.name(), AppParams.versionNumber(req.param("v"))), app);
        })
        .get("/v1/apps/{name}/instances", req -> AppViews.instances(service.get(may(req, Action.READ)), this::actuals,
            new HashSet<>(routedGuids())))
        .get("/v1/apps/{name}/events", req -> service.events(may(req, Action.READ), AppParams.limit(req)))
        .get("/v1/apps/{name}/logs", this::logs)
        .post("/v1/apps/{name}/scale", req -> {
          Scale s = req.body(Scale.class);
          if (s.instances() == null) throw new BerthException.Invalid("instances: required, e.g. {\"instances\": 3}");
          boolean force = Boolean.TRUE.equals(s.force());
          autoscaling.beforeManualScale(may(req, Action.SCALE), force);
          App scaled = service.scale(req.param("name"), s.instances(), user(req));
          if (force) autoscaling.forced(scaled.name(), user(req));
          return status(scaled);
        })
        .post("/v1/apps/{name}/rollback", req -> {
          Rollback rb = req.optionalBody(Rollback.class).orElse(new Rollback(null));
          return status(service.rollback(may(req, Action.DEPLOY), Optional.ofNullable(rb.to()), user(req)));
        })
        .post("/v1/apps/{name}/promote", req -> status(service.promote(may(req, Action.DEPLOY), user(req))))
        .post("/v1/apps/{name}/abort", req -> status(service.abort(may(req, Action.DEPLOY), user(req))))
        .get("/v1/routes", this::routeTable)
        .post("/v1/routers/{id}", req -> {
          RouterStatus s = req.body(RouterStatus.class);
          if (s.group() == null || s.group().isBlank()) throw new BerthException.Invalid("group: required");
          if (s.id() == null || !s.id().equals(req.param("id"))) throw new BerthException.Invalid("id " + s.id() + " differs from the path's " + req.param("id"));
          store.routerReport(s);
          controller.signal();
          return null;
        })
        .get("/v1/routers", req -> store.routers());
  }

  /** {@code force}: scale an autoscaled app, turning its autoscaling off. */
  record Scale(Integer instances, Boolean force) {}

  record Rollback(Integer to) {}

  private Object routeTable(Request req) throws IOException {
    String group = req.query("group").orElse("default");
    long after = AppParams.parseLong(req.query("after").orElse("0"), "after");
    Duration wait = req.query("wait").map(Durations::parse).orElse(Duration.ofSeconds(30));
    if (wait.compareTo(MAX_WAIT) > 0) wait = MAX_WAIT;
    try {
      RouteTable table = AppStore.decode(group, routes.poll(group, after, wait, () -> store.table(group)));
      return req.query("managers").isPresent() ? table.withManagers(managers.get()) : table;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException.Unavailable("the manager is stopping");
    }
  }

  private Object logs(Request req) {
    App app = service.get(may(req, Action.READ));
    InstanceLogs source = logs;
    if (source == null) throw new BerthException.Unavailable("app logs need the manager's Docker endpoint, which is off");
    boolean follow = req.query("follow").map(v -> v.isEmpty() || v.equals("true") || v.equals("1")).orElse(false);
    int tail = (int) AppParams.parseLong(req.query("tail").orElse("100"), "tail");
    List<InstanceLogs.Target> targets = new ArrayList<>();
    for (AppViews.AppInstance i : AppViews.instances(app, this::actuals, Set.of())) {
      if (!i.node().isNone()) {
        targets.add(new InstanceLogs.Target("v" + i.version() + "/" + i.index(), i.node().value(), i.instanceGuid().value()));
      }
    }
    return new Routes.Stream("text/plain; charset=utf-8", out -> source.stream(targets, follow, tail, out));
  }

  private AppViews.AppStatus status(App app) {
    Map<Integer, AppVersion> cache = new HashMap<>();
    return AppViews.status(app, n -> cache.computeIfAbsent(n, k -> store.version(app.name(), k).orElse(null)), this::actuals);
  }

  private List<ActualLrp> actuals(ProcessGuid processGuid) {
    return lrps.service().actuals(processGuid);
  }

  private List<String> routedGuids() {
    List<String> out = new ArrayList<>();
    for (RouterStatus s : store.routers()) out.addAll(s.instances());
    return out;
  }

  /** Who asks: the user the API's guard found. */
  private static String user(Request req) {
    return req.principal().user();
  }

  /**
   * The app named in the path, once the caller may take {@code action} on it. An app that does not
   * exist is a 404 for anyone who could see it if it did (administrators), and a 403 for others, so
   * names are not probed.
   */
  private String may(Request req, Action action) {
    String name = req.param("name");
    access.require(req.principal(), ResourceKind.APP, name, action);
    return name;
  }

  /** Autoscaling's say in manual scales and deploys: set once by the manager before the routes serve. */
  public void autoscaleWith(AutoscaleHook hook) {
    this.autoscaling = hook;
  }

  /** Who may do what: set once by the manager before the routes serve. */
  public void guardWith(Access access) {
    this.access = access;
  }

  @Override
  public void close() {
    controller.close();
    routes.close();
  }
}
