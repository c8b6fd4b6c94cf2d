package io.berth.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One direction of a byte relay: copy until EOF, then half-close the destination so the far end
 * sees EOF too. Hijacked Docker streams depend on it: {@code echo hi | docker exec -i c cat} ends
 * only when stdin's EOF crosses every hop (agent proxy, manager endpoint).
 */
public final class Relay {
  private Relay() {}

  /** A half-close (or close) step that may fail. */
  @FunctionalInterface
  public interface HalfClose {
    void close() throws IOException;
  }

  /** Copies {@code from} to {@code to}, flushing each read (streams must not wait), then runs {@code halfClose}. */
  public static void copyThenHalfClose(InputStream from, OutputStream to, HalfClose halfClose) {
    byte[] buf = new byte[16 * 1024];
    try {
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // one side went away: half-close the other all the same
    }
    try {
      halfClose.close();
    } catch (IOException | UnsupportedOperationException e) {
      // already closed, or a TLS version without half-close: the connection is ending anyway
    }
  }
}
