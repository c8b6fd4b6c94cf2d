package io.berth.cli;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.cluster.JoinToken;
import io.berth.engine.ContainerEngine;
import io.berth.engine.DockerEngine;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth join}: the agent on a node. */
@Command(name = "join", mixinStandardHelpOptions = true,
    description = {"Run the agent on this node: join the cluster, heartbeat, and serve the local engine to managers.",
        "The join token is needed once; the node keeps its certificate in --data."})
final class JoinCommand implements Callable<Integer> {
  @Option(names = "--manager", required = true, paramLabel = "HOST:PORT[,HOST:PORT…]",
      description = {"The managers' cluster addresses (their --cluster-addr, port 2377 by default), comma-separated.",
          "One is enough: the agent learns the others from it, and moves to another when its manager stops answering."})
  String manager;

  @Option(names = "--token", paramLabel = "TOKEN", description = "The join token ('berth join-token' on the manager). Needed on the first join.")
  String token;

  @Option(names = "--advertise", required = true, paramLabel = "IP:PORT|auto[:PORT]",
      description = {"Where managers reach this agent (e.g. 10.0.0.5:12376).",
          "auto: the address of the interface that routes to the first --manager, port 12376 unless auto:PORT."})
  String advertise;

  @Option(names = "--listen-addr", paramLabel = "HOST:PORT", description = "Where to listen for managers (default: the --advertise address).")
  String listen;

  @Option(names = "--engine", defaultValue = "unix:///var/run/docker.sock", paramLabel = "URL",
      description = "The local Docker engine (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--name", paramLabel = "NAME", description = "Node name (default: the host name).")
  String name;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A node label, used by scheduling constraints; repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--build-slots", paramLabel = "N",
      description = "How many code builds this node runs at once, when it takes builds (--label berth.build=true); default 2.")
  Integer buildSlots;

  @Option(names = "--metrics-interval", defaultValue = "10s", paramLabel = "DURATION",
      description = "How often to sample the containers' stats for the manager (default: ${DEFAULT-VALUE}; 1s to 1h).")
  String metricsInterval;

  @Option(names = "--metrics-addr", paramLabel = "HOST:PORT|off",
      description = "Where to serve Prometheus metrics, plain HTTP without auth (default: the --advertise host, port 9323; off: none).")
  String metricsAddr;

  @Option(names = "--data", paramLabel = "DIR", description = "Keeps the node's key and certificate (default: ~/.berth/agent or ~/.berth/agent-NAME).")
  Path data;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : DataDir.defaultDir().resolve(name == null ? "agent" : "agent-" + name);
    List<String> managers = AgentConfig.managers(manager); // a malformed entry fails before anything starts
    InetSocketAddress adv = AdvertiseFlag.resolve(advertise, managers);
    InetSocketAddress lis = listen == null ? adv : Flags.address("--listen-addr", listen);
    if (token != null) JoinToken.parse(token); // bad input fails before anything starts
    if (buildSlots != null) {
      if (buildSlots < 1 || buildSlots > 64) throw new IllegalArgumentException("--build-slots must be from 1 to 64, not " + buildSlots);
      labels.put(AgentConfig.BUILD_SLOTS_LABEL, Integer.toString(buildSlots)); // the manager's build placer reads it; the agent runs as many
    }
    Duration interval = Flags.metricsInterval(metricsInterval);
    InetSocketAddress metricsAt = Flags.metricsAddr(metricsAddr, adv.getHostString());
    try (Lifetime life = new Lifetime()) {
      life.add(DataDir.lock(dir, "agent", "berth agent"));
      ContainerEngine e = life.add(new DockerEngine(engine));
      LiveRestoreCheck.warn(e::liveRestore, engine);
      Agent agent = life.add(Agent.start(new AgentConfig(manager, token, adv, lis, engine, name, labels, dir)
          .withMetrics(interval, metricsAt, metricsAddr != null).withBuildSlots(buildSlots == null ? AgentConfig.BUILD_SLOTS : buildSlots),
          e, Clock.systemUTC()));
      System.out.println("berth agent for node " + agent.name() + " is running: manager " + manager + ", engine " + engine
          + ", serving managers on " + lis.getHostString() + ":" + agent.proxyPort()
          + (agent.metricsPort() < 0 ? "" : ", metrics on http://" + metricsAt.getHostString() + ":" + agent.metricsPort() + "/metrics"));
      life.awaitShutdown();
    }
    return 0;
  }
}
