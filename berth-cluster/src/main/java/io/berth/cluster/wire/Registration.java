package io.berth.cluster.wire;

import io.berth.core.node.EngineFacts;
import java.util.Map;

/**
 * What an agent tells the manager of its node when it (re)connects; {@code version} is the agent's
 * Berth version (null from agents older than the field), which the manager checks and lists.
 */
public record Registration(String address, EngineFacts engine, Map<String, String> labels, String version) {
  /** A registration that states no version: an engine found by discovery, or a test's node. */
  public Registration(String address, EngineFacts engine, Map<String, String> labels) {
    this(address, engine, labels, null);
  }
}
