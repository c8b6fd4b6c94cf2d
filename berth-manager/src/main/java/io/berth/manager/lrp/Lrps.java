package io.berth.manager.lrp;

import io.berth.cluster.wire.Assignments;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.id.NodeName;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.http.Routes;
import io.berth.manager.leader.Singletons;
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
  private final LrpService leaderService;
  private final Converger converger;
  private final AssignmentFeed feed;
  private final LrpEvents events;

  private Lrps(LrpService service, LrpService leaderService, Converger converger, AssignmentFeed feed, LrpEvents events) {
    this.service = service;
    this.leaderService = leaderService;
    this.converger = converger;
    this.feed = feed;
    this.events = events;
  }

  /**
   * Starts convergence (a pass on every change and at least every {@code interval}) over the
   * nodes {@code views} shows; {@code addressOf} gives a node's host address for ActualLRPs.
   * One process alone converges: no gate, no fence.
   */
  public static Lrps start(StateStore raw, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views,
                           Function<NodeName, String> addressOf, Duration interval) {
    return start(raw, Singletons.always(raw), clock, scheduler, views, addressOf, interval);
  }

  /** As above, converging only while {@code leader}'s gate is open, writing through its fenced store. */
  public static Lrps start(StateStore raw, Singletons leader, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views,
                           Function<NodeName, String> addressOf, Duration interval) {
    return start(raw, leader, clock, scheduler, views, PlanLock.local(), addressOf, interval);
  }

  /** As above, placing inside {@code planLock}, the plan step {@code docker run} shares (on every manager). */
  public static Lrps start(StateStore raw, Singletons leader, Clock clock, Scheduler scheduler, Supplier<List<NodeView>> views,
                           PlanLock planLock, Function<NodeName, String> addressOf, Duration interval) {
    LrpStore store = new LrpStore(raw);
    LrpService service = new LrpService(store, clock, RestartPolicy.DIEGO, addressOf);
    LrpStore leaderStore = leader.store() == raw ? store : new LrpStore(leader.store());
    LrpService leaderService = leaderStore == store ? service : new LrpService(leaderStore, clock, RestartPolicy.DIEGO, addressOf);
    AssignmentFeed feed = new AssignmentFeed(store);
    Converger converger = new Converger(leaderStore, leaderService, new Placer(scheduler, views, planLock), interval, RestartPolicy.DIEGO,
        feed::assigned, leader.gate());
    service.onChange(converger::signal);
    LrpEvents events = new LrpEvents(store);
    feed.start();
    events.start();
    converger.start();
    converger.signal();
    return new Lrps(service, leaderService, converger, feed, events);
  }

  /** Evacuees stop only once {@code routed} no longer holds for their instance guid (routers let go of them). */
  public void routedBy(Predicate<String> routed) {
    service.routedBy(routed);
    leaderService.routedBy(routed);
  }

  public LrpService service() {
    return service;
  }

  /** The service the leader's singletons (the app controller) change LRPs through: its writes are fenced. */
  public LrpService leaderService() {
    return leaderService;
  }

  /** Asks for a convergence pass at once (a new leader's first). */
  public void signal() {
    converger.signal();
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
