package io.berth.core.lrp;

import java.util.Locale;

/**
 * A check the agent makes itself, from the node, in place of a {@code monitor} action: a TCP
 * connect to {@code port}, or an HTTP GET of {@code path} on it answering 2xx. Berth's addition
 * to the Receptor shape (Diego later grew the same as {@code check_definition}).
 *
 * <p>{@code intervalMs} is how often a healthy instance is checked again and {@code timeoutMs} how
 * long one check may take; null leaves the agent's defaults (Diego's 30 s, 1 s).
 */
public record HealthCheck(Kind type, int port, String path, Integer intervalMs, Integer timeoutMs) {
  public HealthCheck(Kind type, int port, String path) {
    this(type, port, path, null, null);
  }

  /** How the instance is checked. */
  public enum Kind {
    TCP, HTTP;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
