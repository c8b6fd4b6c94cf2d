package io.berth.core.scheduler;

/**
 * Why a filter turned a node away: the reason text is what {@code docker run} prints and the API
 * returns, grouped by reason across the nodes ("port 80/tcp in use on n2").
 */
public record Veto(String reason) {
  public Veto {
    if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a veto needs a reason");
  }
}
