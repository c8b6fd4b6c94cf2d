package io.berth.manager;

import io.berth.cluster.LocalRoute;
import io.berth.manager.leader.LeaseNote;
import io.berth.manager.leader.ManagerRecord;
import io.berth.manager.leader.Managers;
import io.berth.manager.schema.StoreSchema;
import io.berth.store.StateStore;
import io.berth.store.backup.Restorer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;

/** How a manager announces itself to its peers: its record, from its config and its servers' ports. */
final class Announcements {
  private Announcements() {}

  /** Refuses a half-restored store or one of a newer schema (migrating an older one), claims the config's name before anything starts (its ports as configured), and joins the election. */
  static Managers claim(StateStore store, ManagerConfig config, Instant since, LeaseNote note) {
    Restorer.refuseUnfinished(store, config.storeUrl());
    StoreSchema.check(store, config.storeUrl());
    ManagerRecord record = record(config, since, config.apiAddr().getPort(), config.clusterAddr().getPort(),
        config.dockerAddr() == null ? -1 : config.dockerAddr().getPort());
    try {
      return Managers.claim(store, record, config.leaderTtl(), config.embeddedStore(), note);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while claiming the manager name '" + config.name() + "'", e);
    }
  }

  /**
   * The record: {@code HOST:PORT}s at the bound address; when bound to every address, the address of
   * the default route's interface (as swarm advertises), or the host name on a machine without one.
   */
  static ManagerRecord record(ManagerConfig config, Instant since, int apiPort, int clusterPort, int dockerPort) {
    return record(config, since, apiPort, clusterPort, dockerPort, LocalRoute.defaultRoute());
  }

  static ManagerRecord record(ManagerConfig config, Instant since, int apiPort, int clusterPort, int dockerPort,
      Optional<InetAddress> defaultRoute) {
    String everywhere = defaultRoute.map(Announcements::literal).orElseGet(Announcements::hostName);
    return new ManagerRecord(config.name(), "http://" + host(config.apiAddr(), everywhere) + ":" + apiPort,
        host(config.clusterAddr(), everywhere) + ":" + clusterPort,
        dockerPort < 0 ? null : host(config.dockerAddr(), everywhere) + ":" + dockerPort, since, version());
  }

  private static String host(InetSocketAddress a, String everywhere) {
    if (a.getAddress() == null) return a.getHostString();
    if (a.getAddress().isAnyLocalAddress()) return everywhere;
    return literal(a.getAddress());
  }

  private static String literal(InetAddress address) {
    String ip = address.getHostAddress(); // the IP, as agents' --manager usually names it
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  static String version() {
    String v = Manager.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** This machine's host name: a manager's default {@code --name}, and what it announces when bound to every address. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
