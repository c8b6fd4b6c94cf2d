package io.berth.router;

/**
 * nginx refused or failed: the message is one sentence, with nginx's own words where it gave some.
 * The router's own edge type, not a {@code BerthException} kind: no Berth API answers with it — the
 * router's loop reports it to the manager as its status, and {@code berth router} prints it and exits.
 */
public final class NginxException extends RuntimeException {
  public NginxException(String message) {
    super(message);
  }
}
