package io.berth.manager;

import io.berth.core.scheduler.NodeView;
import io.berth.manager.activity.Activity;
import io.berth.manager.app.Apps;
import io.berth.manager.capacity.Capacity;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Singletons;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import io.berth.manager.scale.Autoscaling;
import io.berth.store.StateStore;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Apps that scale themselves and the capacity forecast (docs/autoscale.md), built from the
 * manager's parts; {@code requests_per_instance} reads the routers' {@link TrafficNumbers}, and proposes
 * nothing while no router reports the app.
 */
public record Scaling(Autoscaling autoscaling, Capacity capacity) implements AutoCloseable {
  static Scaling start(StateStore store, Singletons leader, Clock clock, Apps apps, MetricsHistory history, TrafficNumbers traffic,
                       StoreAccess access, Activity activity, Supplier<List<NodeView>> nodes) {
    Autoscaling a = Autoscaling.start(store, leader, clock, apps, history, traffic, access, activity, access::audit);
    return new Scaling(a, Capacity.start(nodes, history, clock));
  }

  @Override
  public void close() {
    autoscaling.close();
    capacity.close();
  }
}
