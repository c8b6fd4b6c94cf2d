package io.berth.store;

import java.util.List;

/** The result of a range read: the keys found, the revision read at, and whether more keys matched. */
public record Page(List<KeyValue> items, long revision, boolean more) {
  public Page {
    items = List.copyOf(items);
  }
}
