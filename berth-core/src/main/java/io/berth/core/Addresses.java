package io.berth.core;

/** Checks {@code host:port} text as users type it in flags. */
public final class Addresses {
  private Addresses() {}

  /** Splits {@code host:port}; the message says the expected form when it is not one. */
  public static HostPort parse(String flag, String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(flag + " must be HOST:PORT, e.g. 127.0.0.1:8080, not '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException(flag + ": port must be 0-65535 in '" + text + "'");
    return new HostPort(host, port);
  }

  /** A host (name or IP) and a port. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
