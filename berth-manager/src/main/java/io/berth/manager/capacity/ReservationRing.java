package io.berth.manager.capacity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What each node had reserved (memory and CPUs of its reserving containers), sampled every pass of
 * the forecast's sampler. Reservations have no stored history, so this ring in memory is theirs:
 * it starts empty on each manager and fills in one metrics retention.
 */
final class ReservationRing {
  /** One node's reservations at one sample. */
  record Reserved(long memoryBytes, double cpus) {}

  /** One sample: when, and each node's reservations. */
  record Sample(long atMillis, Map<String, Reserved> nodes) {}

  private final int size;
  private final Deque<Sample> samples = new ArrayDeque<>();

  ReservationRing(int size) {
    this.size = Math.max(1, size);
  }

  synchronized void add(Sample s) {
    if (samples.size() == size) samples.removeFirst();
    samples.addLast(s);
  }

  /** The samples taken after {@code sinceMillis}, oldest first. */
  synchronized List<Sample> since(long sinceMillis) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) if (s.atMillis() > sinceMillis) out.add(s);
    return out;
  }
}
