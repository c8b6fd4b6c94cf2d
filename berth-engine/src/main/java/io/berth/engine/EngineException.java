package io.berth.engine;

/**
 * The engine refused or could not be reached; the message is fit to show a user. It stays the
 * engine edge's own type rather than a {@code BerthException} kind: its status is the engine's, which
 * the Docker endpoint mirrors as it came, and a {@link Reason} names the failures callers act on.
 */
public final class EngineException extends RuntimeException {
  private final int status;
  private final Reason reason;

  /** What went wrong, where a caller must tell it apart from other failures of the same status. */
  public enum Reason {
    /** Nothing a caller acts on beyond the status. */
    OTHER,
    /** A start failed because a host port it publishes is taken (Docker: 500, "port is already allocated"). */
    PORT_IN_USE
  }

  public EngineException(int status, String message) {
    this(status, Reason.OTHER, message, null);
  }

  public EngineException(int status, String message, Throwable cause) {
    this(status, Reason.OTHER, message, cause);
  }

  public EngineException(int status, Reason reason, String message) {
    this(status, reason, message, null);
  }

  public EngineException(int status, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status the engine answered with, or 503 when it was not reachable. */
  public int status() {
    return status;
  }

  public Reason reason() {
    return reason;
  }
}
