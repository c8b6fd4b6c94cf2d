package io.berth.engine;

/** The engine refused or could not be reached; the message is fit to show a user. */
public final class EngineException extends RuntimeException {
  private final int status;

  public EngineException(int status, String message) {
    super(message);
    this.status = status;
  }

  public EngineException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the engine answered with, or 503 when it was not reachable. */
  public int status() {
    return status;
  }
}
