package io.berth.it;

import java.io.IOException;
import java.net.ServerSocket;

/** Free TCP ports on loopback for the processes a test starts. */
final class Ports {
  private Ports() {}

  static int free() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
