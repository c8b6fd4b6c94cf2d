package io.berth.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The local address packets leave from: towards one peer ({@code berth join --advertise auto}), or
 * along the default route (what a manager bound to every address announces, as swarm's
 * {@code --advertise-addr} defaults to). Connecting a UDP socket sends nothing: the kernel only
 * picks the route, and with it the source address.
 */
public final class LocalRoute {
  /** An address of TEST-NET-1 (RFC 5737): never local, so only the default route reaches it. */
  private static final InetAddress OUTSIDE = literal(new byte[] {(byte) 192, 0, 2, 1});

  private LocalRoute() {}

  /** The source address towards {@code target}, or empty when no route leads there. */
  public static Optional<InetAddress> to(InetAddress target, int port) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(target, port));
      InetAddress local = s.getLocalAddress();
      return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // no route
    }
  }

  /** The IPv4 address of the interface the default route leaves by, or empty on a machine without one. */
  public static Optional<InetAddress> defaultRoute() {
    return to(OUTSIDE, 9).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress());
  }

  private static InetAddress literal(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
