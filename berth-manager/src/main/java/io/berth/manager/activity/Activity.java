package io.berth.manager.activity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.event.Event;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's activity log in the store ({@code /berth/events/…}), newest last, trimmed to the
 * last {@value #KEEP} entries by the leader's housekeeping so it stays small.
 */
public final class Activity {
  private static final Logger log = LoggerFactory.getLogger(Activity.class);
  /** How many entries the leader's housekeeping keeps. */
  public static final int KEEP = 1000;
  private final StateStore store;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();
  private volatile Runnable growing = () -> {};

  public Activity(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Records an event and logs it with its type as the greppable phrase. */
  public Event record(String type, String subject, String message) {
    Event e = new Event(clock.instant(), type, subject, message);
    String key = Keys.EVENTS + String.format("%016d-%06d", e.time().toEpochMilli(), seq.incrementAndGet() % 1_000_000);
    store.put(key, Json.bytes(e));
    log.info("{} {}: {}", type, subject, message);
    if (seq.get() % 100 == 0) growing.run();
    return e;
  }

  /** Called every hundred events recorded here: the leader's housekeeping trims the log sooner. */
  public void onGrowth(Runnable hook) {
    this.growing = hook;
  }

  /** The newest {@code limit} events, oldest first. */
  public List<Event> recent(int limit) {
    List<KeyValue> all = store.range(Keys.EVENTS, KEEP * 2).items();
    List<Event> out = new ArrayList<>();
    for (KeyValue kv : all.subList(Math.max(0, all.size() - limit), all.size())) {
      out.add(Json.read(kv.value(), Event.class));
    }
    return out;
  }
}
