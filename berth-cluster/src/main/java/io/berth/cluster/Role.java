package io.berth.cluster;

import java.util.Locale;

/** What a cluster certificate lets its holder do: a manager calls agents, a node calls managers. */
public enum Role {
  MANAGER, NODE;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role of(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
