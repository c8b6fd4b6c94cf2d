package io.berth.cli;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.core.Addresses;
import io.berth.core.Durations;
import io.berth.core.id.NodeName;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.ContainerEngine;
import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.manager.notify.NotifyConfig;
import io.berth.manager.ManagerFiles;
import io.berth.router.Router;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth dev}: a whole one-node Berth in one process. */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Run all of Berth on this machine: a manager on the embedded store, an agent for the local Docker engine and a router (nginx).",
        "As root on Debian with no engine running, it installs docker.io and starts dockerd; without nginx, it installs nginx. State survives restarts."})
final class DevCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR", description = "Data dir: store, certificates, admin.token (default: $BERTH_DATA or ~/.berth).")
  Path data;

  @Option(names = "--engine", defaultValue = EngineSetup.DEFAULT_ENGINE, paramLabel = "URL", description = "The Docker engine (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--api-addr", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT", description = "Berth API address (default: ${DEFAULT-VALUE}).")
  String apiAddr;

  @Option(names = "--docker-addr", defaultValue = "127.0.0.1:2375", paramLabel = "HOST:PORT",
      description = "The Docker-compatible endpoint (default: ${DEFAULT-VALUE}): DOCKER_HOST=tcp://127.0.0.1:2375 docker ps")
  String dockerAddr;

  @Option(names = "--docker-tls", description = "Serve the Docker endpoint over TLS and require client bundles: 'berth bundle -o DIR' writes one.")
  boolean dockerTls;

  @Option(names = "--cluster-addr", defaultValue = "127.0.0.1:2377", paramLabel = "HOST:PORT", description = "Cluster endpoint for agents (default: ${DEFAULT-VALUE}).")
  String clusterAddr;

  @Option(names = "--agent-addr", defaultValue = "127.0.0.1:12376", paramLabel = "HOST:PORT", description = "Where the local agent serves its engine to the manager (default: ${DEFAULT-VALUE}).")
  String agentAddr;

  @Option(names = "--name", paramLabel = "NAME", description = "This node's name (default: the host name).")
  String name;

  @Option(names = "--router-listen", defaultValue = "127.0.0.1:80", paramLabel = "IP:PORT",
      description = "Where the router (nginx) serves apps by host name (default: ${DEFAULT-VALUE}).")
  String routerListen;

  @Option(names = "--no-router", description = "Run no router; without nginx (and not root to install it) there is none anyway.")
  boolean noRouter;

  @Option(names = "--registry-addr", defaultValue = "127.0.0.1:5000", paramLabel = "HOST:PORT",
      description = "The image registry (docker-registry, token auth by Berth users) (default: ${DEFAULT-VALUE}): docker push 127.0.0.1:5000/team/app:v1")
  String registryAddr;

  @Option(names = "--no-registry", description = "Run no image registry; without docker-registry (and not root to install it) there is none anyway.")
  boolean noRegistry;

  @Option(names = "--registry-storage", paramLabel = "DIR",
      description = "The registry's images in DIR instead of DATA/registry/data (a directory several managers share).")
  Path registryStorage;

  @Option(names = "--metrics-interval", defaultValue = "10s", paramLabel = "DURATION",
      description = "How often the agent samples the containers' stats (default: ${DEFAULT-VALUE}; 1s to 1h).")
  String metricsInterval;

  @Option(names = "--metrics-retention", defaultValue = "1h", paramLabel = "DURATION",
      description = "How long the manager keeps containers' metrics (default: ${DEFAULT-VALUE}; 1m to 24h).")
  String metricsRetention;

  @Option(names = "--metrics-addr", paramLabel = "HOST:PORT|off",
      description = "Where the agent serves Prometheus metrics (default: the --agent-addr host, port 9323; off: none). "
          + "The manager's are at API/metrics (admin token).")
  String metricsAddr;

  @Mixin ScalingOptions scaling = new ScalingOptions();

  @Option(names = "--no-builds", description = "The local node takes no code builds (by default it does: label berth.build=true).")
  boolean noBuilds;

  @Mixin ReceptorOptions receptor = new ReceptorOptions();

  @Mixin NotifyOptions notify = new NotifyOptions();

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    Path dir = (data != null ? data : DataDir.defaultDir()).toAbsolutePath();
    InetSocketAddress api = Flags.address("--api-addr", apiAddr);
    InetSocketAddress cluster = Flags.address("--cluster-addr", clusterAddr);
    InetSocketAddress agentListen = Flags.address("--agent-addr", agentAddr);
    Addresses.HostPort routerAt = Addresses.parse("--router-listen", routerListen);
    String storeUrl = "sqlite://" + dir.resolve("berth.db");
    Duration interval = Flags.metricsInterval(metricsInterval);
    Duration retention = Flags.metricsRetention(metricsRetention);
    ScalingOptions.Paces paces = scaling.paces();
    InetSocketAddress metricsAt = Flags.metricsAddr(metricsAddr, agentListen.getHostString());
    ManagerConfig.Receptor receptorFlags = receptor.receptor();
    NotifyConfig notifyFlags = notify.config();
    // Logging is set up before the steps that run side by side: SLF4J warns when it must replay calls made while it starts.
    LoggerFactory.getILoggerFactory();
    EngineSetup.refuseUnreachable(engine); // one clear line, before the manager's start logs anything
    try (Lifetime life = new Lifetime()) {
      life.add(DataDir.lock(dir, "berth", "berth dev"));
      // The engine (docker-java's first ping, the test image) is checked while the manager starts: neither needs the other.
      InBackground<ContainerEngine> engineReady = life.add(InBackground.start("dev-engine-setup", () -> {
        ContainerEngine ready = new EngineSetup(System.out, dir).ensure(engine);
        try {
          BusyboxSetup.ensure(ready, System.out, dir);
          return ready;
        } catch (Exception | Error failed) {
          ready.close();
          throw failed;
        }
      }));
      StateStore store = life.add(StateStores.open(storeUrl));
      Manager m = life.add(Manager.start(new ManagerConfig(api, cluster, Flags.address("--docker-addr", dockerAddr), dir, storeUrl,
          Duration.ofSeconds(10), Duration.ofSeconds(3), Strategy.SPREAD, Scheduler.FILTERS,
          dockerTls ? ManagerConfig.DockerTls.bundles(null) : null, null)
              .withRegistry(noRegistry ? null : new RegistrySetup(System.out, dir).ensure(Flags.address("--registry-addr", registryAddr))
                  .map(r -> r.withStorage(registryStorage == null ? null : registryStorage.toAbsolutePath())).orElse(null))
              .withMetricsRetention(retention).withReceptor(receptorFlags).withNotify(notifyFlags),
          store, Clock.systemUTC()));
      paces.applyTo(m);
      String managerAddr = (cluster.getAddress().isAnyLocalAddress() ? "127.0.0.1" : cluster.getHostString()) + ":" + m.clusterPort();
      String apiUrl = "http://" + (api.getAddress().isAnyLocalAddress() ? "127.0.0.1" : api.getHostString()) + ":" + m.apiPort();
      // nginx starts while the agent joins: the router needs the API's URL and token, not a ready node.
      InBackground<Router> routerStart = life.add(InBackground.start("dev-router-start", () -> noRouter ? null
          : new RouterSetup(System.out, dir).start(apiUrl, dir.resolve(ManagerFiles.ADMIN_TOKEN), routerAt).orElse(null)));
      ContainerEngine e = engineReady.join();
      Agent agent = life.add(Agent.start(new AgentConfig(managerAddr, m.secrets().joinToken().toString(), agentListen, agentListen,
          engine, name, noBuilds ? Map.of() : Map.of("berth.build", "true"), dir.resolve("agent")).withMetrics(interval, metricsAt, metricsAddr != null), e, Clock.systemUTC()));
      awaitReady(m, agent.name());
      Optional<Router> router = Optional.ofNullable(routerStart.join());
      // One write: printf writes piece by piece, and a log line from another thread landed inside this one.
      System.out.println(String.format("berth dev is ready in %.1f s: API http://%s:%d (admin token in %s), node %s on %s",
          (System.nanoTime() - t0) / 1e9, api.getHostString(), m.apiPort(), dir.resolve("admin.token"), agent.name(), engine));
      router.ifPresent(r -> System.out.println("berth dev router: group default on " + r.listen() + ", nginx " + r.nginxVersion()
          + " (apps by host name: curl -H 'Host: DOMAIN' http://" + r.listen() + "/)"));
      System.out.println("berth dev metrics: containers sampled every " + interval.toSeconds() + " s, kept " + Durations.words(retention)
          + "; Prometheus at " + apiUrl + "/metrics (admin token)"
          + (agent.metricsPort() < 0 ? "" : " and http://" + metricsAt.getHostString() + ":" + agent.metricsPort() + "/metrics (the agent)"));
      m.registryAddress().ifPresent(r -> System.out.println("berth dev registry: " + r + " (docker login " + r + " as a Berth user; docker push "
          + r + "/team/app:v1)"));
      System.out.println(dockerTls ? "Try: ./berth bundle -o bundle && . bundle/env.sh && docker ps"
          : "Try: ./berth nodes   or   DOCKER_HOST=tcp://" + Flags.address("--docker-addr", dockerAddr).getHostString() + ":" + m.dockerPort() + " docker ps");
      life.awaitShutdown();
    }
    return 0;
  }

  private static void awaitReady(Manager m, String agent) throws InterruptedException {
    NodeName node = NodeName.of(agent);
    for (int i = 0; i < 100; i++) {
      if (m.nodes().find(node).map(n -> n.state() == NodeState.READY).orElse(false) && m.nodes().isLive(node)) return;
      Thread.sleep(50);
    }
    throw new IllegalStateException("the local agent did not register within 5 s");
  }
}
