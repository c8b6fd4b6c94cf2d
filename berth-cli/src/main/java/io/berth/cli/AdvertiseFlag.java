package io.berth.cli;

import io.berth.core.Addresses;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

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

  /**
   * The local address packets to {@code manager} leave from. Connecting a UDP socket sends nothing:
   * the kernel only picks the route, and with it the source address.
   */
  static InetAddress routeTo(Addresses.HostPort manager) {
    InetAddress target;
    try {
      target = InetAddress.getByName(manager.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--advertise auto: cannot resolve the manager's host '" + manager.host()
          + "'; give --advertise IP:PORT");
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(target, manager.port()));
      InetAddress local = s.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress()) return local;
    } catch (IOException | RuntimeException e) {
      // no route: said below
    }
    throw new IllegalArgumentException("--advertise auto: no route from this machine to the manager at " + manager
        + "; give --advertise IP:PORT");
  }
}
