package io.berth.cli;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.node.Node;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth list STORE_URL}: node addresses straight from the store, as {@code swarm list} printed them. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Print the address of every node the store knows, one per line (as 'swarm list').",
        "Reads the store directly; nothing else but managers does."})
final class ListCommand implements Callable<Integer> {
  @Parameters(paramLabel = "STORE_URL", description = "sqlite:///path/berth.db or etcd://host:2379[,...]")
  String store;

  @Override
  public Integer call() {
    try (StateStore s = StateStores.open(store)) {
      for (KeyValue kv : s.range(Keys.NODES, 100_000).items()) {
        System.out.println(Json.read(kv.value(), Node.class).address());
      }
    }
    return 0;
  }
}
