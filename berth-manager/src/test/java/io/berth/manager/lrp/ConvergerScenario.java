package io.berth.manager.lrp;


import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.core.Keys;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A converger over a real (SQLite) store and two nodes, n1 and n2, driven one pass at a time by its subclasses' scenarios. */
abstract class ConvergerScenario {
  @TempDir Path dir;
  StateStore raw;
  LrpStore store;
  LrpService service;
  Converger converger;
  final List<NodeView> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    raw = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    store = new LrpStore(wrap(raw));
    service = new LrpService(store, Clock.systemUTC(), RestartPolicy.DIEGO,
        n -> n.value().matches("n[1-3]") ? "127.0.0.1" + n.value().substring(1) : "");
    Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
    converger = new Converger(store, service, new Placer(scheduler, () -> List.copyOf(nodes)), Duration.ofSeconds(5), RestartPolicy.DIEGO,
        this::assignedGuids);
    node("n1");
    node("n2");
  }

  @AfterEach
  void stop() {
    converger.close();
    raw.close();
  }

  /** The store the converger writes through: the raw one, or a view a scenario watches its writes by. */
  StateStore wrap(StateStore raw) {
    return raw;
  }

  /** Every assigned instance guid, read from the store (the manager keeps them by a watch instead). */
  Set<InstanceGuid> assignedGuids() {
    Set<InstanceGuid> out = new HashSet<>();
    for (var kv : raw.range(Keys.ASSIGN, 0).items()) out.add(InstanceGuid.of(kv.key().substring(kv.key().lastIndexOf('/') + 1)));
    return out;
  }

  void node(String name) {
    nodes.add(new NodeView(NodeName.of(name), name, true, Map.of(), 2, 2L << 30, List.of(), Set.of("berth/busybox:1")));
    raw.put(Keys.health(name), new byte[0]);
  }

  void lose(String name) {
    nodes.removeIf(n -> n.name().value().equals(name));
    raw.delete(Keys.health(name));
  }

  static ProcessGuid pg(String raw) {
    return new ProcessGuid(raw);
  }

  static TaskGuid tg(String raw) {
    return new TaskGuid(raw);
  }

  static DesiredLrp lrp(String guid, int instances) {
    return new DesiredLrp(pg(guid), new Domain("apps"), "docker:///berth/busybox#1", instances, List.of(), 0, 0, 64, false, null,
        new Action.Run("/bin/sleep", List.of("600"), null, null, null, "root", null), null, null, 0, List.of(8080), Map.of(),
        null, null, null, null, List.of(), null);
  }

  List<Assignment> assignments(String node) {
    return assignments(NodeName.of(node));
  }

  List<Assignment> assignments(NodeName node) {
    return store.assignments(node).items().stream().map(kv -> Json.read(kv.value(), Assignment.class)).toList();
  }
}
