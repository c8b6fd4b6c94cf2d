package io.berth.manager.fleet;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The newest {@link #KEPT} ids of a kind a node's cache noted: the containers its event stream said were
 * destroyed (one another manager created and that is gone already needs no read-back before planning), or
 * those this manager created and read back (their create event needs no read of its own). Ids are never
 * reused, so an id noted stays true of its container.
 */
final class RecentIds {
  static final int KEPT = 1024;
  private final Set<String> ids = new LinkedHashSet<>();

  synchronized void add(String id) {
    ids.remove(id);
    ids.add(id);
    if (ids.size() > KEPT) ids.remove(ids.iterator().next());
  }

  synchronized boolean contains(String id) {
    return ids.contains(id);
  }

  /** Forgets the id; whether it was noted. */
  synchronized boolean take(String id) {
    return ids.remove(id);
  }
}
