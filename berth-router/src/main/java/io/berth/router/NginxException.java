package io.berth.router;

/** nginx refused or failed: the message is one sentence, with nginx's own words where it gave some. */
public final class NginxException extends RuntimeException {
  public NginxException(String message) {
    super(message);
  }
}
