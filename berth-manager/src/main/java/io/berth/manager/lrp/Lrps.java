package io.berth.manager.lrp;

import io.berth.cluster.wire.Assignments;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.id.NodeName;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.http.Routes;
import io.berth.manager.plan.PlanLock;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The manager's LRP and task machinery in one place: the Receptor API's service, the convergence
 * loop, the event stream and the agents' assignment feed, over one store.
 */
public final class Lrps implements AutoCloseable {
  private final LrpService service;
  private final Converger converger;
  private final AssignmentFeed feed;
  private final LrpEvents events;

  private Lrps(LrpService service, Converger converger, AssignmentFeed feed, LrpEvents events) {
    this.service = service;
    this.converger = converger;
    this.feed = feed;
    this.events = events;
  }

  /**
   * Starts convergence (a pass on every change and at least every {@code interval}) over the
   * nodes {@code views} shows; {@code addressOf} gives a node's host address for ActualLRPs.
   */
  public static Lrps start(StateStore raw, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views,
                           Function<String, String> addressOf, Duration interval) {
    return start(raw, clock, scheduler, views, addressOf, interval, Duration.ZERO);
  }

  /** As above; for {@code startupGrace} after the start no node counts as lost (its agent needs a heartbeat to return). */
  public static Lrps start(StateStore raw, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views,
                           Function<String, String> addressOf, Duration interval, Duration startupGrace) {
    return start(raw, clock, scheduler, views, PlanLock.local(), addressOf, interval, startupGrace);
  }

  /** As above, placing inside {@code planLock}, the plan step {@code docker run} shares (on every manager). */
  public static Lrps start(StateStore raw, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views, PlanLock planLock,
                           Function<String, String> addressOf, Duration interval, Duration startupGrace) {
    LrpStore store = new LrpStore(raw);
    LrpService service = new LrpService(store, clock, RestartPolicy.DIEGO, addressOf);
    AssignmentFeed feed = new AssignmentFeed(store);
    Converger converger = new Converger(store, service, new Placer(scheduler, views, planLock), interval, RestartPolicy.DIEGO,
        feed::assigned);
    LrpEvents events = new LrpEvents(store);
    feed.start();
    events.start();
    converger.startupGrace(startupGrace);
    converger.start();
    converger.signal();
    return new Lrps(service, converger, feed, events);
  }

  /** Evacuees stop only once {@code routed} no longer holds for their instance guid (routers let go of them). */
  public void routedBy(Predicate<String> routed) {
    service.routedBy(routed);
  }

  public LrpService service() {
    return service;
  }

  /** Adds the Receptor routes to the Berth API's table. */
  public Routes addApiRoutes(Routes routes) {
    return new ReceptorApi(service, events).addTo(routes);
  }

  /** A node's assignments, once they changed after {@code after} or after {@code wait}. */
  public Assignments poll(String node, long after, Duration wait) throws InterruptedException {
    return feed.poll(NodeName.of(node), after, wait);
  }

  /** Runs one whole convergence pass now, on the caller's thread; returns how long it took, in nanoseconds. */
  public long convergeNow() {
    long t0 = System.nanoTime();
    converger.pass();
    return System.nanoTime() - t0;
  }

  public void report(String node, List<InstanceReport> reports) {
    service.report(NodeName.of(node), reports);
  }

  @Override
  public void close() {
    converger.close();
    feed.close();
    events.close();
  }
}
