package io.berth.manager.alert;

import io.berth.core.lrp.ActualLrp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Counts an app's instance crashes over a window ({@code restarts[10m]}) from the instances'
 * records: each slot keeps only its last crash time and a crash count, so each pass compares them
 * with what the pass before saw and files the difference. Kept in memory: a new leader, seeing a
 * slot for the first time, counts its last crash if it is recent (one, though there may have been more).
 */
final class Restarts {
  /** Crashes older than this are forgotten: the longest window a rule may have. */
  static final long KEEP_MILLIS = 86_400_000L;
  private final Map<String, long[]> seen = new HashMap<>(); // slot -> {crashedAt nanos, crashCount}
  private final Map<String, Deque<Long>> crashes = new HashMap<>(); // app -> crash times, millis, oldest first

  /** Files the crashes {@code actuals} (one app's slots) show since the last look. */
  void observe(String app, ActualLrp a, long nowMillis) {
    if (a.crashedAt() == 0) return;
    String slot = slot(a);
    long[] before = seen.get(slot);
    long atMillis = a.crashedAt() / 1_000_000;
    int added;
    if (before == null) added = nowMillis - atMillis <= KEEP_MILLIS ? 1 : 0;
    else if (a.crashedAt() == before[0]) added = 0;
    else added = (int) Math.max(1, a.crashCount() - before[1]); // the count restarts from one after a healthy run
    seen.put(slot, new long[] {a.crashedAt(), a.crashCount()});
    Deque<Long> times = crashes.computeIfAbsent(app, k -> new ArrayDeque<>());
    for (int i = 0; i < added; i++) times.addLast(atMillis);
  }

  /** Forgets the slots not in {@code live} (their LRPs are gone), so memory follows the instances there are. */
  void retain(Set<String> live) {
    seen.keySet().retainAll(live);
  }

  static String slot(ActualLrp a) {
    return a.processGuid().value() + "/" + a.index();
  }

  /** Crashes of {@code app} in {@code (now - window, now]}. */
  int count(String app, long windowMillis, long nowMillis) {
    Deque<Long> times = crashes.get(app);
    if (times == null) return 0;
    while (!times.isEmpty() && times.peekFirst() < nowMillis - KEEP_MILLIS) times.pollFirst();
    int n = 0;
    for (long t : times) if (t > nowMillis - windowMillis) n++;
    return n;
  }
}
