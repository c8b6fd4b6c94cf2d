package io.berth.manager;

import io.berth.cluster.ClientTls;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.core.node.Node;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.activity.Activity;
import io.berth.manager.alert.Alerts;
import io.berth.manager.app.Apps;
import io.berth.manager.build.BuildRecords;
import io.berth.manager.build.Builds;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.fleet.EngineDiscovery;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.http.Routes;
import io.berth.manager.http.lean.LeanServer;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>Parts start in the constructor's order, each area in its own method; the endpoints over them are
 * {@link ManagerEndpoints}, which reads the parts' fields (package-private for it). A failed start leaves the
 * parts not yet made null, and {@link #close()}, which cleans up after it too, skips those.
 */
public final class Manager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Manager.class);
  final ManagerConfig config;
  final StateStore store;
  final Clock clock;
  final ClusterSecrets secrets;
  final Identity identity;
  final Activity activity;
  final NodeRegistry nodes;
  final Managers managers;
  private final ManagerEndpoints endpoints = new ManagerEndpoints(this);
  Fleet fleet;
  Lrps lrps;
  PlanLock planLock;
  Apps apps;
  private EngineDiscovery discovery;
  StoreAccess access;
  Registry registry;
  BuildRecords buildRecords;
  Builds builds;
  Bundles bundles;
  Telemetry telemetry;

  private Manager(ManagerConfig config, StateStore store, Clock clock) {
    // counts and times every operation (berth_store_operations_total); each record carries its store schema
    store = new MeteredStateStore(new RecordSchemaStore(store));
    this.config = config;
    this.store = store;
    this.clock = clock;
    Instant since = clock.instant();
    ManagerFiles files = new ManagerFiles(config.dataDir());
    this.managers = Announcements.claim(store, config, since, files.recordLease()); // a second manager of one name stops here
    this.secrets = ClusterSecrets.loadOrCreate(store, clock.instant());
    this.identity = secrets.ca().newIdentity("manager-" + Announcements.hostName(), Role.MANAGER, Duration.ofDays(365), clock.instant());
    this.activity = new Activity(store, clock);
    this.nodes = new NodeRegistry(store, activity, clock, config.nodeTtl(), config.heartbeat()).judgeAs(managers.singletons());
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
      telemetry = Telemetry.start(config, store, managers.singletons(), clock, nodes, access, activity, apps, lrps, fleet::nodeViews);
      endpoints.startApi();
      registry.startInBackground(config.apiAddr(), apiPort()); // it answers while the endpoints below start
      endpoints.startCluster();
      if (config.dockerAddr() != null) endpoints.startDocker(scheduler);
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

  /** Starts a manager on an open store; the caller keeps ownership of the store. */
  public static Manager start(ManagerConfig config, StateStore store, Clock clock) {
    return new Manager(config, store, clock);
  }

  /** The Berth API's route table, as wired (tests walk it). */
  public Routes apiRoutes() {
    return endpoints.apiRoutes();
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
    return endpoints.apiPort();
  }

  public int clusterPort() {
    return endpoints.clusterPort();
  }

  /** The agents' endpoint's server: its counts of connections and requests (tests, benchmarks). */
  public LeanServer clusterServer() {
    return endpoints.clusterServer();
  }

  /** The port the Docker endpoint listens on, or -1 when it is off. */
  public int dockerPort() {
    return endpoints.dockerPort();
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
    endpoints.closeConsole();
    if (telemetry != null) telemetry.close();
    if (builds != null) builds.close();
    if (apps != null) apps.close();
    if (lrps != null) lrps.close();
    if (discovery != null) discovery.close();
    endpoints.closeDocker();
    if (fleet != null) fleet.close();
    if (registry != null) registry.close();
    endpoints.stopServers();
    nodes.close();
    if (access != null) access.close();
  }
}
