package io.berth.manager;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.ClientTls;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.core.node.Node;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.activity.Activity;
import io.berth.manager.alert.Alerts;
import io.berth.manager.api.BerthApi;
import io.berth.manager.app.Apps;
import io.berth.manager.build.BuildRecords;
import io.berth.manager.build.Builds;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.cluster.ClusterEndpoint;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.console.ConsoleApi;
import io.berth.manager.console.ConsoleFiles;
import io.berth.manager.docker.DockerEndpoint;
import io.berth.manager.docker.DockerRoutes;
import io.berth.manager.docker.EndpointTls;
import io.berth.manager.fleet.EngineDiscovery;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import io.berth.manager.http.lean.LeanServer;
import io.berth.manager.identity.IdentityApi;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Leadership;
import io.berth.manager.leader.ManagerRecord;
import io.berth.manager.leader.Managers;
import io.berth.manager.lrp.Lrps;
import io.berth.manager.metrics.MeteredStateStore;
import io.berth.manager.metrics.MetricsApi;
import io.berth.manager.node.NodeRegistry;
import io.berth.manager.notify.Notifications;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.registry.Registry;
import io.berth.manager.schema.RecordSchemaStore;
import io.berth.store.StateStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running manager: the cluster's secrets, its node registry, the Berth API and the cluster
 * endpoint for agents, over one store. The only process that opens the store.
 *
 * <p>Parts start in the constructor's order, each area in its own method. A failed start leaves the
 * parts not yet made null, and {@link #close()}, which cleans up after it too, skips those.
 */
public final class Manager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Manager.class);
  private final ManagerConfig config;
  private final StateStore store;
  private final Clock clock;
  private final ClusterSecrets secrets;
  private final Identity identity;
  private final Activity activity;
  private final NodeRegistry nodes;
  private final Managers managers;
  private HttpServer apiServer;
  private LeanServer clusterServer;
  private volatile DockerEndpoint docker;
  private Fleet fleet;
  private Lrps lrps;
  private PlanLock planLock;
  private Apps apps;
  private EngineDiscovery discovery;
  private StoreAccess access;
  private Registry registry;
  private BuildRecords buildRecords;
  private Builds builds;
  private Bundles bundles;
  private Telemetry telemetry;
  private ConsoleApi console;
  private Routes api;

  private Manager(ManagerConfig config, StateStore store, Clock clock) {
    // counts and times every operation (berth_store_operations_total); each record carries its store schema
    store = new MeteredStateStore(new RecordSchemaStore(store));
    this.config = config;
    this.store = store;
    this.clock = clock;
    Instant since = clock.instant();
    this.managers = Announcements.claim(store, config, since); // a second manager of one name stops here
    this.secrets = ClusterSecrets.loadOrCreate(store, clock.instant());
    this.identity = secrets.ca().newIdentity("manager-" + Announcements.hostName(), Role.MANAGER, Duration.ofDays(365), clock.instant());
    this.activity = new Activity(store, clock);
    this.nodes = new NodeRegistry(store, activity, clock, config.nodeTtl(), config.heartbeat()).judgeAs(managers.singletons());
    ManagerFiles files = new ManagerFiles(config.dataDir());
    try {
      files.checkCluster(secrets.joinToken().caFingerprint(), config.storeUrl());
      secrets.newAdminToken().ifPresent(files::writeAdminToken);
      nodes.start();
      access = new StoreAccess(store, clock, secrets, Integer.getInteger("berth.bcrypt.cost", StoreAccess.BCRYPT_COST))
          .receptorLogin(config.receptor().user(), config.receptor().password());
      Scheduler scheduler = new Scheduler(config.filters(), config.strategy(), new Random());
      SSLContext engineTls = engineTls(config.dockerTls());
      fleet = Fleet.start(nodes, identity.sslContext(), engineTls);
      startWork(scheduler);
      registry = Registry.create(config.registry(), store, secrets, access, clock);
      buildRecords = new BuildRecords(store, clock, access);
      builds = Builds.start(store, managers.singletons(), nodes::list, access, registry, Builds.deployer(apps.service()), activity, clock);
      bundles = new Bundles(store, secrets.ca(), access, clock);
      startApi();
      registry.startInBackground(config.apiAddr(), apiPort()); // it answers while the endpoints below start
      startClusterEndpoint();
      if (config.dockerAddr() != null) startDocker(scheduler);
      if (config.discovery() != null) {
        discovery = new EngineDiscovery(config.discovery(), nodes, engineTls, config.heartbeat());
        discovery.start();
      }
      registry.awaitStarted();
      files.writeInfo(config, apiPort());
      managers.update(Announcements.record(config, since, apiPort(), clusterPort(), dockerPort()));
      List<Runnable> elected = new ArrayList<>(List.of(nodes::signal, lrps::signal, apps::signal, builds::signal));
      elected.addAll(telemetry.onElection());
      managers.lead(activity, nodes::refreshLeases, elected);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info("manager-started api={} cluster={} docker={} store={}", config.apiAddr(), config.clusterAddr(), config.dockerAddr(), config.storeUrl());
  }

  /** LRPs, then apps over them: both place work on the fleet's node views. */
  private void startWork(Scheduler scheduler) {
    // An embedded SQLite store serves one manager; any other store may be shared, and plans then lock in it.
    planLock = config.storeUrl().startsWith("sqlite://") ? PlanLock.local() : PlanLock.shared(store, config.name(), fleet.view());
    lrps = Lrps.start(store, managers.singletons(), clock, scheduler, fleet::nodeViews, planLock,
        name -> nodes.find(name).map(Node::host).orElse(""), config.convergeInterval());
    apps = Apps.start(store, managers.singletons(), clock, lrps, activity, fleet::nodeViews, config.dockerAddr() != null);
    apps.guardWith(access);
  }

  /** The Berth API: every area adds its routes to one table, served over plain HTTP (started first). */
  private void startApi() {
    telemetry = Telemetry.start(config, store, managers.singletons(), clock, nodes, access, activity, apps, lrps, fleet::nodeViews);
    ConsoleFiles consoleFiles = ConsoleFiles.fromClassPath();
    if (consoleFiles.size() == 0) log.warn("console-missing: this build has no console files; / answers 404");
    console = new ConsoleApi(store, access, nodes, clock, () -> docker == null ? null : fleet);
    api = new BerthApi(secrets, nodes, activity, access, clock).managers(managers, store::health).cors(config.receptor().cors())
        .forecast(telemetry.scaling.capacity()::view).backup(store, config.dataDir(), Announcements.version()).routes();
    consoleFiles.addRoutes(api);
    lrps.addApiRoutes(api);
    apps.addApiRoutes(api);
    apps.managers(() -> managers.recent().stream().map(ManagerRecord::api).toList());
    new IdentityApi(access).addRoutes(api);
    builds.addApiRoutes(api);
    registry.addApiRoutes(api);
    bundles.addApiRoutes(api);
    telemetry.addRoutes(api, () -> Announcements.record(config, clock.instant(), apiPort(), clusterPort(), dockerPort()).api());
    console.addRoutes(api);
    apiServer = Servers.http("Berth API", config.apiAddr(), api);
  }

  /** The agents' endpoint over mutual TLS on the lean server (started second), with the registry's cluster routes. */
  private void startClusterEndpoint() {
    Routes routes = new ClusterEndpoint(secrets, nodes, activity, clock, lrps).metrics(telemetry.metrics::accept).builds(builds)
        .managers(() -> managers.recent().stream().map(ManagerRecord::cluster).toList()).routes();
    // An agent's connections idle at most a heartbeat between calls: kept for twice that, and at least a minute.
    Duration idle = Collections.max(List.of(LeanServer.IDLE_TIMEOUT, config.heartbeat().multipliedBy(2)));
    clusterServer = Servers.https("cluster endpoint", config.clusterAddr(), identity.sslContext(), idle, registry.addClusterRoutes(routes));
  }

  /** The Docker endpoint, with the operator's TLS files or the cluster CA's bundles ({@code --docker-tls}). */
  private void startDocker(Scheduler scheduler) {
    ManagerConfig.DockerTls t = config.dockerTls();
    SSLContext tls = t == null ? null : t.bundles()
        ? EndpointTls.context(secrets.ca(), config.dockerAddr(), t.ca(), clock.instant())
        : ClientTls.server(t.cert(), t.key(), t.ca());
    DockerRoutes dockerRoutes = new DockerRoutes(fleet, planLock, scheduler, Announcements.hostName(), access);
    dockerRoutes.login(registry.dockerLogin());
    dockerRoutes.buildRecords(buildRecords);
    docker = DockerEndpoint.start(config.dockerAddr(), dockerRoutes, tls, t != null && (t.ca() != null || t.bundles()),
        t != null && t.bundles() ? bundles : null);
    bundles.dockerAt(new InetSocketAddress(config.dockerAddr().getAddress(), docker.port()), t != null && t.bundles());
    apps.logsFrom(fleet.instanceLogs());
  }

  /** Starts a manager on an open store; the caller keeps ownership of the store. */
  public static Manager start(ManagerConfig config, StateStore store, Clock clock) {
    return new Manager(config, store, clock);
  }

  /** The Berth API's route table, as wired (tests walk it). */
  public Routes apiRoutes() {
    return api;
  }

  public ManagerConfig config() {
    return config;
  }

  public NodeRegistry nodes() {
    return nodes;
  }

  public ClusterSecrets secrets() {
    return secrets;
  }

  /** The manager's own cluster identity: how it calls agents' engine proxies. */
  public Identity identity() {
    return identity;
  }

  /** The port the API really listens on (useful when configured with port 0). */
  public int apiPort() {
    return apiServer.getAddress().getPort();
  }

  public int clusterPort() {
    return clusterServer.getAddress().getPort();
  }

  /** The agents' endpoint's server: its counts of connections and requests (tests, benchmarks). */
  public LeanServer clusterServer() {
    return clusterServer;
  }

  /** The port the Docker endpoint listens on, or -1 when it is off. */
  public int dockerPort() {
    return docker == null ? -1 : docker.port();
  }

  /**
   * How the fleet reaches engines without agents ({@code --discovery}): with the operator's files, or
   * plain TCP. The cluster CA's endpoint certificate ({@code --docker-tls} bundles) is for Docker clients only.
   */
  private static SSLContext engineTls(ManagerConfig.DockerTls t) {
    return t == null || t.bundles() ? null : ClientTls.server(t.cert(), t.key(), t.ca());
  }

  /** Users, tokens, members and the audit log. */
  public StoreAccess access() {
    return access;
  }

  /** The image registry's {@code host:port} when this manager runs one. */
  public Optional<String> registryAddress() {
    return registry == null ? Optional.empty() : registry.address();
  }

  /** Apps: versions, rollouts and routes. */
  public Apps apps() {
    return apps;
  }

  /** Containers' metrics: the agents' samples, their history and the Prometheus scrape. */
  public MetricsApi metrics() {
    return telemetry.metrics;
  }

  /** Autoscaling and the capacity forecast. */
  public Scaling scaling() {
    return telemetry.scaling;
  }

  /** LRPs and tasks: the Receptor API's service. */
  public Lrps lrps() {
    return lrps;
  }

  /** The election: whether this manager leads, and its term. */
  public Leadership leadership() {
    return managers.leadership();
  }

  /** The live managers' records (agents' heartbeat answers and routers' feed answers list them). */
  public List<ManagerRecord> managers() {
    return managers.list();
  }

  /** Alert notifications: the sink the alert rules hand their notices to. */
  public Notifications notifications() {
    return telemetry.notifications();
  }

  /** Alert rules' evaluation ({@code --alert-every}). */
  public Alerts alerts() {
    return telemetry.alerts();
  }

  /** Steps down first, so that another manager leads while this one closes the rest. */
  @Override
  public void close() {
    managers.close();
    if (console != null) console.close();
    if (telemetry != null) telemetry.close();
    if (builds != null) builds.close();
    if (apps != null) apps.close();
    if (lrps != null) lrps.close();
    if (discovery != null) discovery.close();
    if (docker != null) docker.close();
    if (fleet != null) fleet.close();
    if (registry != null) registry.close();
    if (apiServer != null) apiServer.stop(0);
    if (clusterServer != null) clusterServer.stop(0);
    nodes.close();
    if (access != null) access.close();
  }
}
