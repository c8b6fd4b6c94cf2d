package io.berth.cli;

import io.berth.core.Addresses;
import io.berth.cluster.LocalRoute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth join --advertise}: {@code IP:PORT} as given, or {@code auto[:PORT]} for the address of
 * the interface that routes to the first manager, so one join line fits every node.
 */
final class AdvertiseFlag {
  /** The agent's port when {@code auto} names none, as in the manager's join hint. */
  static final int DEFAULT_PORT = 12376;

  private AdvertiseFlag() {}

  static InetSocketAddress resolve(String text, List<String> managers) {
    if (!text.equals("auto") && !text.startsWith("auto:")) return Flags.address("--advertise", text);
    int port = text.equals("auto") ? DEFAULT_PORT : Addresses.parse("--advertise", text).port();
    return new InetSocketAddress(routeTo(Addresses.parse("--manager", managers.get(0))), port);
  }

  /** The local address packets to {@code manager} leave from. */
  static InetAddress routeTo(Addresses.HostPort manager) {
    InetAddress target;
    try {
      target = InetAddress.getByName(manager.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--advertise auto: cannot resolve the manager's host '" + manager.host()
          + "'; give --advertise IP:PORT");
    }
    Optional<InetAddress> local = LocalRoute.to(target, manager.port());
    if (local.isPresent()) return local.get();
    throw new IllegalArgumentException("--advertise auto: no route from this machine to the manager at " + manager
        + "; give --advertise IP:PORT");
  }
}
