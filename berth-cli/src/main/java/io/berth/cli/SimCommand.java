package io.berth.cli;

import io.berth.agent.HollowNodes;
import io.berth.cluster.JoinToken;
import io.berth.core.Addresses;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth sim}: hollow nodes, to measure a manager at thousands of nodes on one machine. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Join N hollow nodes to a manager: each is a real member of the cluster (its own certificate, registration,",
        "heartbeats) whose engine is in memory: containers 'run' at once and their CPUs and memory are accounted.",
        "Node K listens for managers on its own loopback address 127.X.Y.Z (see docs/docker.md). Runs until stopped."})
final class SimCommand implements Callable<Integer> {
  @Option(names = "--manager", required = true, paramLabel = "HOST:PORT", description = "The manager's cluster address (its --cluster-addr).")
  String manager;

  @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "The join token ('berth join-token' on the manager).")
  String token;

  @Option(names = "--nodes", required = true, paramLabel = "N", description = "How many hollow nodes to join.")
  int nodes;

  @Option(names = "--first", defaultValue = "1", paramLabel = "K",
      description = "Number of the first node (default: ${DEFAULT-VALUE}); give each sim process its own range.")
  int first;

  @Option(names = "--name-prefix", defaultValue = "hollow", paramLabel = "PREFIX", description = "Nodes are PREFIX-00001 … (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--cpus", defaultValue = "4", paramLabel = "N", description = "CPUs of each hollow node (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--memory", defaultValue = "8g", paramLabel = "BYTES", description = "Memory of each hollow node (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--containers", defaultValue = "0", paramLabel = "N",
      description = "Containers each hollow engine starts with, already running (default: ${DEFAULT-VALUE}).")
  int containers;

  @Option(names = "--port", defaultValue = "12376", paramLabel = "PORT", description = "Port of every node's engine proxy (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    Addresses.parse("--manager", manager);
    JoinToken.parse(token);
    if (nodes < 1 || first < 1 || first + nodes > 250 * 250 * 100) throw new IllegalArgumentException("--nodes and --first must name nodes 1 .. 6,250,000");
    if (cpus < 1) throw new IllegalArgumentException("--cpus must be at least 1");
    if (containers < 0) throw new IllegalArgumentException("--containers must be 0 or more");
    long bytes = Flags.bytes("--memory", memory);
    try (Lifetime life = new Lifetime()) {
      long t0 = System.nanoTime();
      HollowNodes sim = life.add(HollowNodes.start(new HollowNodes.Options(manager, token, nodes, prefix, first, cpus, bytes, containers, port),
          line -> System.out.println("berth sim: " + line)));
      while (sim.registered() < nodes && (System.nanoTime() - t0) < 600_000_000_000L) Thread.sleep(200);
      System.out.println(String.format("berth sim: %d hollow nodes are registered (%d containers each) after %.1f s; stop with Ctrl-C",
          sim.registered(), containers, (System.nanoTime() - t0) / 1e9));
      life.awaitShutdown();
    }
    return 0;
  }
}
