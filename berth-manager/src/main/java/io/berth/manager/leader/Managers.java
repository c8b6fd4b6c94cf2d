package io.berth.manager.leader;

import io.berth.manager.activity.Activity;
import io.berth.store.StateStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This manager among its peers: its record (its name claimed first, so a second manager of one
 * name is refused before anything starts), the election, and the leader's housekeeping. On an
 * embedded store the manager is alone and always leads.
 */
public final class Managers implements AutoCloseable {
  static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
  static final Duration RECENT = Duration.ofSeconds(2);
  private volatile Recent recent;
  private final ManagerRecords records;
  private final Leadership leadership;
  private final Singletons singletons;
  private final Housekeeping housekeeping;

  private Managers(ManagerRecords records, Leadership leadership, Singletons singletons) {
    this.records = records;
    this.leadership = leadership;
    this.singletons = singletons;
    this.housekeeping = new Housekeeping(singletons, HOUSEKEEPING);
  }

  /**
   * Claims {@code record}'s name on {@code store} (waiting out a previous life's record for one TTL, unless
   * {@code note} names its lease: then it ends at once);
   * {@code embedded}: the store serves one manager, which leads without an election.
   */
  public static Managers claim(StateStore store, ManagerRecord record, Duration ttl, boolean embedded, LeaseNote note)
      throws InterruptedException {
    if (embedded) {
      ManagerRecords records = new ManagerRecords(store, ttl).claimAlone(record);
      // The only writer of its store has nobody to be fenced from: its singletons write straight to it.
      Leadership sole = Leadership.sole(store, record.name());
      return new Managers(records, sole, new Singletons(sole, store));
    }
    ManagerRecords records = new ManagerRecords(store, ttl).remembering(note).claim(record);
    Leadership leadership = Leadership.elect(store, record.name(), ttl);
    return new Managers(records, leadership, Singletons.of(store, leadership));
  }

  /**
   * Campaigns: once elected, {@code prepare} runs before any singleton may pass (the node registry
   * refreshes nodes' leases), then each of {@code firstPasses} (loops' signals) and an activity event.
   */
  public void lead(Activity activity, Runnable prepare, List<Runnable> firstPasses) {
    leadership.beforeLeading(prepare);
    leadership.onElected(term -> {
      housekeeping.signal();
      firstPasses.forEach(Runnable::run);
      activity.record("leader-elected", "manager/" + leadership.name(),
          "manager " + leadership.name() + " leads (term " + term.createRevision() + ")");
    });
    activity.onGrowth(housekeeping::signal);
    housekeeping.start();
    leadership.start();
  }

  /** What the leader's singletons run on: its gate and its fenced store. */
  public Singletons singletons() {
    return singletons;
  }

  public Leadership leadership() {
    return leadership;
  }

  /** Replaces this manager's record (its servers' real ports known). */
  public void update(ManagerRecord record) {
    records.update(record);
  }

  /** The live managers' records. */
  public List<ManagerRecord> list() {
    return records.list();
  }

  /**
   * The live managers' records as read at most {@link #RECENT} ago: every heartbeat and route-table
   * answer names them, and a read of the store for each would cost more than the heartbeat itself.
   */
  public List<ManagerRecord> recent() {
    Recent r = recent;
    long now = System.nanoTime();
    if (r == null || now - r.readAt() > RECENT.toNanos()) {
      r = new Recent(records.list(), now);
      recent = r;
    }
    return r.records();
  }

  private record Recent(List<ManagerRecord> records, long readAt) {}

  /** {@code GET /v1/managers}'s answer. */
  public List<Map<String, Object>> view() {
    return records.view(leader());
  }

  /** The leader's name, as last seen. */
  public Optional<String> leader() {
    return leadership.leader();
  }

  /** Steps down first (another manager leads at once), then removes the record. */
  @Override
  public void close() {
    housekeeping.close();
    leadership.close();
    records.close();
  }
}
