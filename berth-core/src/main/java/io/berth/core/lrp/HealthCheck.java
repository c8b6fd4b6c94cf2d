package io.berth.core.lrp;

/**
 * A check the agent makes itself, from the node, in place of a {@code monitor} action: a TCP
 * connect to {@code port}, or an HTTP GET of {@code path} on it answering 2xx. Berth's addition
 * to the Receptor shape (Diego later grew the same as {@code check_definition}).
 */
public record HealthCheck(Kind type, int port, String path) {
  /** How the instance is checked. */
  public enum Kind {
    TCP, HTTP;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
