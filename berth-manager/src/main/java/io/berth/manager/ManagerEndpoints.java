package io.berth.manager;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.ClientTls;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.api.BerthApi;
import io.berth.manager.cluster.ClusterEndpoint;
import io.berth.manager.console.ConsoleApi;
import io.berth.manager.console.ConsoleFiles;
import io.berth.manager.docker.DockerEndpoint;
import io.berth.manager.docker.DockerRoutes;
import io.berth.manager.docker.EndpointTls;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import io.berth.manager.http.lean.LeanServer;
import io.berth.manager.identity.IdentityApi;
import io.berth.manager.leader.ManagerRecord;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's three endpoints over its started parts, which it reads from {@link Manager}: the Berth API (every
 * area's routes in one table, plain HTTP), the agents' cluster endpoint (mutual TLS on the lean server) and the Docker
 * endpoint, started in that order. The manager closes them at its points in its own close order.
 */
final class ManagerEndpoints {
  private static final Logger log = LoggerFactory.getLogger(Manager.class); // its lines are the manager's
  private final Manager m;
  private HttpServer apiServer;
  private LeanServer clusterServer;
  private volatile DockerEndpoint docker;
  private ConsoleApi console;
  private Routes api;

  ManagerEndpoints(Manager m) {
    this.m = m;
  }

  /** The Berth API: every area adds its routes to one table, served over plain HTTP (started first). */
  void startApi() {
    ConsoleFiles consoleFiles = ConsoleFiles.fromClassPath();
    if (consoleFiles.size() == 0) log.warn("console-missing: this build has no console files; / answers 404");
    console = new ConsoleApi(m.store, m.access, m.nodes, m.clock, () -> docker == null ? null : m.fleet);
    api = new BerthApi(m.secrets, m.nodes, m.activity, m.access, m.clock).managers(m.managers, m.store::health).cors(m.config.receptor().cors())
        .forecast(m.telemetry.scaling.capacity()::view).backup(m.store, m.config.dataDir(), Announcements.version()).routes();
    consoleFiles.addRoutes(api);
    m.lrps.addApiRoutes(api);
    m.apps.addApiRoutes(api);
    m.apps.managers(() -> m.managers.recent().stream().map(ManagerRecord::api).toList());
    new IdentityApi(m.access).addRoutes(api);
    m.builds.addApiRoutes(api);
    m.registry.addApiRoutes(api);
    m.bundles.addApiRoutes(api);
    m.telemetry.addRoutes(api, () -> Announcements.record(m.config, m.clock.instant(), apiPort(), clusterPort(), dockerPort()).api());
    console.addRoutes(api);
    apiServer = Servers.http("Berth API", m.config.apiAddr(), api);
  }

  /** The agents' endpoint over mutual TLS on the lean server (started second), with the registry's cluster routes. */
  void startCluster() {
    Routes routes = new ClusterEndpoint(m.secrets, m.nodes, m.activity, m.clock, m.lrps).metrics(m.telemetry.metrics::accept).builds(m.builds)
        .managers(() -> m.managers.recent().stream().map(ManagerRecord::cluster).toList()).routes();
    // An agent's connections idle at most a heartbeat between calls: kept for twice that, and at least a minute.
    Duration idle = Collections.max(List.of(LeanServer.IDLE_TIMEOUT, m.config.heartbeat().multipliedBy(2)));
    clusterServer = Servers.https("cluster endpoint", m.config.clusterAddr(), m.identity.sslContext(), idle, m.registry.addClusterRoutes(routes));
  }

  /** The Docker endpoint, with the operator's TLS files or the cluster CA's bundles ({@code --docker-tls}). */
  void startDocker(Scheduler scheduler) {
    ManagerConfig.DockerTls t = m.config.dockerTls();
    SSLContext tls = t == null ? null : t.bundles()
        ? EndpointTls.context(m.secrets.ca(), m.config.dockerAddr(), t.ca(), m.clock.instant())
        : ClientTls.server(t.cert(), t.key(), t.ca());
    DockerRoutes dockerRoutes = new DockerRoutes(m.fleet, m.planLock, scheduler, Announcements.hostName(), m.access);
    dockerRoutes.login(m.registry.dockerLogin());
    dockerRoutes.buildRecords(m.buildRecords);
    docker = DockerEndpoint.start(m.config.dockerAddr(), dockerRoutes, tls, t != null && (t.ca() != null || t.bundles()),
        t != null && t.bundles() ? m.bundles : null);
    m.bundles.dockerAt(new InetSocketAddress(m.config.dockerAddr().getAddress(), docker.port()), t != null && t.bundles());
    m.apps.logsFrom(m.fleet.instanceLogs());
  }

  /** The Berth API's route table, as wired. */
  Routes apiRoutes() {
    return api;
  }

  int apiPort() {
    return apiServer.getAddress().getPort();
  }

  int clusterPort() {
    return clusterServer.getAddress().getPort();
  }

  LeanServer clusterServer() {
    return clusterServer;
  }

  /** The Docker endpoint's port, or -1 when it is off. */
  int dockerPort() {
    return docker == null ? -1 : docker.port();
  }

  /** First of all: the console's streams end. */
  void closeConsole() {
    if (console != null) console.close();
  }

  /** Before the fleet it calls. */
  void closeDocker() {
    if (docker != null) docker.close();
  }

  /** Last but the node registry and the store's access. */
  void stopServers() {
    if (apiServer != null) apiServer.stop(0);
    if (clusterServer != null) clusterServer.stop(0);
  }
}
