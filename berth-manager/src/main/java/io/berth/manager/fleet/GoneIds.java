package io.berth.manager.fleet;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ids of the containers a node's event stream said were destroyed lately, the newest {@link #KEPT}: a
 * container another manager created and that is gone already needs no read-back before planning. Ids are
 * never reused, so an id here stays gone.
 */
final class GoneIds {
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
}
