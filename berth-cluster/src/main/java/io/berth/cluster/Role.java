package io.berth.cluster;

import java.util.Locale;

/**
 * What a cluster certificate lets its holder do: a manager calls agents, a node calls managers, a
 * user (a client bundle from {@code berth bundle}) calls the Docker endpoint — and nothing else:
 * the cluster endpoint admits only nodes, agents only managers.
 */
public enum Role {
  MANAGER, NODE, USER;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role of(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
