package io.berth.manager;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.manager.activity.Activity;
import io.berth.manager.api.BerthApi;
import io.berth.manager.app.Apps;
import io.berth.manager.cluster.ClusterEndpoint;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.docker.DockerEndpoint;
import io.berth.manager.docker.DockerRoutes;
import io.berth.manager.fleet.EngineDiscovery;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.http.Servers;
import io.berth.manager.lrp.Lrps;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running manager: the cluster's secrets, its node registry, the Berth API and the cluster
 * endpoint for agents, over one store. The only process that opens the store.
 */
public final class Manager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Manager.class);
  private final ManagerConfig config;
  private final StateStore store;
  private final ClusterSecrets secrets;
  private final Identity identity;
  private final NodeRegistry nodes;
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile DockerEndpoint docker;
  private Fleet fleet;
  private Lrps lrps;
  private Apps apps;
  private EngineDiscovery discovery;
  private io.berth.manager.identity.StoreAccess access;
  private io.berth.manager.registry.Registry registry;
  private io.berth.manager.metrics.MetricsApi metrics;
  private io.berth.manager.console.ConsoleApi console;
  private io.berth.manager.http.Routes api;

  private Manager(ManagerConfig config, StateStore store, Clock clock) {
    store = new io.berth.manager.metrics.MeteredStateStore(store); // counts and times every operation: berth_store_operations_total
    this.config = config;
    this.store = store;
    this.secrets = ClusterSecrets.loadOrCreate(store, clock.instant());
    this.identity = secrets.ca().newIdentity("manager-" + hostName(), Role.MANAGER, Duration.ofDays(365), clock.instant());
    Activity activity = new Activity(store, clock);
    this.nodes = new NodeRegistry(store, activity, clock, config.nodeTtl(), config.heartbeat());
    ManagerFiles files = new ManagerFiles(config.dataDir());
    try {
      secrets.newAdminToken().ifPresent(files::writeAdminToken);
      nodes.start();
      access = new io.berth.manager.identity.StoreAccess(store, clock, secrets, Integer.getInteger("berth.bcrypt.cost", io.berth.manager.identity.StoreAccess.BCRYPT_COST));
      Scheduler scheduler = new Scheduler(config.filters(), config.strategy(), new java.util.Random());
      SSLContext engineTls = engineTls(config.dockerTls());
      fleet = Fleet.start(nodes, identity.sslContext(), engineTls);
      lrps = Lrps.start(store, clock, scheduler, fleet::nodeViews,
          name -> nodes.find(name).map(io.berth.core.node.Node::host).orElse(""), config.convergeInterval(),
          config.nodeTtl().plus(config.heartbeat()));
      apps = Apps.start(store, clock, lrps, activity, fleet::nodeViews, config.dockerAddr() != null);
      apps.guardWith(access);
      registry = io.berth.manager.registry.Registry.create(config.registry(), secrets, access, clock);
      io.berth.manager.build.BuildRecords buildRecords = new io.berth.manager.build.BuildRecords(store, clock, access);
      io.berth.manager.bundle.Bundles bundles = new io.berth.manager.bundle.Bundles(store, secrets.ca(), access, clock);
      Apps appsNow = apps;
      Lrps lrpsNow = lrps;
      metrics = new io.berth.manager.metrics.MetricsApi(new io.berth.manager.metrics.MetricsHistory(config.metricsRetention()), nodes, access,
          name -> appExists(appsNow, name), () -> lrpsNow.service().actuals(java.util.Optional.empty()), clock);
      io.berth.manager.console.ConsoleFiles consoleFiles = io.berth.manager.console.ConsoleFiles.fromClassPath();
      if (consoleFiles.size() == 0) log.warn("console-missing: this build has no console files; / answers 404");
      console = new io.berth.manager.console.ConsoleApi(store, access, nodes, clock, () -> docker == null ? null : fleet);
      api = new BerthApi(secrets, nodes, activity, access, clock).routes();
      consoleFiles.addRoutes(api);
      lrps.addApiRoutes(api);
      apps.addApiRoutes(api);
      new io.berth.manager.identity.IdentityApi(access).addRoutes(api);
      buildRecords.addApiRoutes(api);
      registry.addApiRoutes(api);
      bundles.addApiRoutes(api);
      metrics.addApiRoutes(api);
      console.addRoutes(api);
      servers.add(Servers.http("Berth API", config.apiAddr(), api));
      registry.start(config.apiAddr(), apiPort());
      servers.add(Servers.https("cluster endpoint", config.clusterAddr(), identity.sslContext(),
          registry.addClusterRoutes(new ClusterEndpoint(secrets, nodes, activity, clock, lrps).metrics(metrics::accept).routes())));
      if (config.dockerAddr() != null) {
        ManagerConfig.DockerTls t = config.dockerTls();
        javax.net.ssl.SSLContext tls = t == null ? null : t.bundles()
            ? io.berth.manager.docker.EndpointTls.context(secrets.ca(), config.dockerAddr(), t.ca(), clock.instant())
            : io.berth.cluster.ClientTls.server(t.cert(), t.key(), t.ca());
        // An embedded SQLite store serves one manager; any other store may be shared, and creates then lock in it.
        io.berth.store.StateStore shared = config.storeUrl().startsWith("sqlite://") ? null : store;
        DockerRoutes dockerRoutes = new DockerRoutes(fleet, shared, scheduler, hostName(), access);
        dockerRoutes.login(registry.dockerLogin());
        dockerRoutes.buildRecords(buildRecords);
        docker = DockerEndpoint.start(config.dockerAddr(), dockerRoutes, tls, t != null && (t.ca() != null || t.bundles()),
            t != null && t.bundles() ? bundles : null);
        bundles.dockerAt(new java.net.InetSocketAddress(config.dockerAddr().getAddress(), docker.port()), t != null && t.bundles());
        apps.logsFrom(fleet.instanceLogs());
      }
      if (config.discovery() != null) {
        discovery = new EngineDiscovery(config.discovery(), nodes, engineTls, config.heartbeat());
        discovery.start();
      }
      files.writeInfo(config, apiPort());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info("manager-started api={} cluster={} docker={} store={}", config.apiAddr(), config.clusterAddr(), config.dockerAddr(), config.storeUrl());
  }

  /** Starts a manager on an open store; the caller keeps ownership of the store. */
  public static Manager start(ManagerConfig config, StateStore store, Clock clock) {
    return new Manager(config, store, clock);
  }

  /** The Berth API's route table, as wired (tests walk it). */
  public io.berth.manager.http.Routes apiRoutes() {
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
    return servers.get(0).getAddress().getPort();
  }

  public int clusterPort() {
    return servers.get(1).getAddress().getPort();
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
    return t == null || t.bundles() ? null : io.berth.cluster.ClientTls.server(t.cert(), t.key(), t.ca());
  }

  /** Users, tokens, members and the audit log. */
  public io.berth.manager.identity.StoreAccess access() {
    return access;
  }

  /** The image registry's {@code host:port} when this manager runs one. */
  public java.util.Optional<String> registryAddress() {
    return registry == null ? java.util.Optional.empty() : registry.address();
  }

  /** Apps: versions, rollouts and routes. */
  public Apps apps() {
    return apps;
  }

  /** Containers' metrics: the agents' samples, their history and the Prometheus scrape. */
  public io.berth.manager.metrics.MetricsApi metrics() {
    return metrics;
  }

  /** LRPs and tasks: the Receptor API's service. */
  public Lrps lrps() {
    return lrps;
  }

  @Override
  public void close() {
    if (console != null) console.close();
    if (apps != null) apps.close();
    if (lrps != null) lrps.close();
    if (discovery != null) discovery.close();
    if (docker != null) docker.close();
    if (fleet != null) fleet.close();
    if (registry != null) registry.close();
    for (HttpServer s : servers) s.stop(0);
    nodes.close();
    if (access != null) access.close();
  }

  private static boolean appExists(Apps apps, String name) {
    try {
      apps.service().get(name);
      return true;
    } catch (io.berth.core.error.BerthException.NotFound e) {
      return false;
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
