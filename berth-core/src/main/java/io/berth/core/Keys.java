package io.berth.core;

/**
 * The store's key layout in one place, so that every writer and reader agrees on it
 * (see docs/architecture.md for the whole table).
 */
public final class Keys {
  /** Durable node records: {@code /berth/nodes/{name}}. */
  public static final String NODES = "/berth/nodes/";
  /** Liveness keys on each node's lease: {@code /berth/health/{name}}; gone means down. */
  public static final String HEALTH = "/berth/health/";
  /** The activity log: {@code /berth/events/{sortable time}-{seq}}. */
  public static final String EVENTS = "/berth/events/";
  /** Cluster-wide secrets and settings: CA, join token, admin token hash. */
  public static final String CLUSTER = "/berth/cluster/";

  private Keys() {}

  public static String node(String name) {
    return NODES + name;
  }

  public static String health(String name) {
    return HEALTH + name;
  }

  /** The part of a key after its prefix. */
  public static String tail(String key, String prefix) {
    return key.substring(prefix.length());
  }
}
