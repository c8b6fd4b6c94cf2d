package io.berth.core.node;

import java.util.Locale;

/** How managers reach a node's engine. */
public enum NodeAccess {
  /** Through the node's Berth agent, over the cluster's mutual TLS (a node that joined). */
  AGENT,
  /** The engine's own Docker API, directly (an engine found by {@code --discovery}, as Swarm's nodes:// and file://). */
  ENGINE;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return word();
  }
}
