package io.berth.core.error;

/**
 * Every failure a user can cause or meet, as one closed hierarchy: the HTTP edges map each kind to
 * a status code in one place, and its message is the sentence the user reads.
 */
public abstract sealed class BerthException extends RuntimeException
    permits BerthException.NotFound, BerthException.Conflict, BerthException.Invalid,
        BerthException.Unauthorized, BerthException.Forbidden, BerthException.Unavailable,
        BerthException.Unsupported, BerthException.Throttled {

  private final String name;

  BerthException(String name, String message) {
    super(message);
    this.name = name;
  }

  /** A stable error name (Receptor style: {@code NodeNotFound}, {@code InvalidRequest} …). */
  public String name() {
    return name;
  }

  /** The thing asked for does not exist (404). */
  public static final class NotFound extends BerthException {
    public NotFound(String name, String message) { super(name, message); }
  }

  /** The request clashes with the current state (409). */
  public static final class Conflict extends BerthException {
    public Conflict(String name, String message) { super(name, message); }
  }

  /** The request is malformed or names something impossible (400). */
  public static final class Invalid extends BerthException {
    public Invalid(String message) { super("InvalidRequest", message); }
    public Invalid(String name, String message) { super(name, message); }
  }

  /** No or bad credentials (401). */
  public static final class Unauthorized extends BerthException {
    public Unauthorized(String message) { super("Unauthorized", message); }
  }

  /** Credentials fine, but not allowed (403). */
  public static final class Forbidden extends BerthException {
    public Forbidden(String message) { super("Forbidden", message); }
  }

  /** A part the request needs is not reachable (503). */
  public static final class Unavailable extends BerthException {
    public Unavailable(String message) { super("Unavailable", message); }
  }

  /** Berth does not offer this (yet) (501). */
  public static final class Unsupported extends BerthException {
    public Unsupported(String message) { super("Unsupported", message); }
  }

  /** Too many attempts: wait before trying again (429). */
  public static final class Throttled extends BerthException {
    public Throttled(String name, String message) { super(name, message); }
  }

  /** The HTTP status for this kind of failure. */
  public int status() {
    return switch (this) {
      case NotFound n -> 404;
      case Conflict c -> 409;
      case Invalid i -> 400;
      case Unauthorized u -> 401;
      case Forbidden f -> 403;
      case Unavailable u -> 503;
      case Unsupported u -> 501;
      case Throttled t -> 429;
    };
  }
}
