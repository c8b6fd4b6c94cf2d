package io.berth.cluster;

import io.berth.cluster.wire.ErrorBody;
import java.io.IOException;
import java.util.Optional;

/**
 * The manager answered a node or router, and said no: its status and its words. A checked
 * {@link IOException} like the link failures beside it, so a caller that retries an unreachable
 * manager catches this first and stops, since asking again will not change a no.
 */
public final class Refused extends IOException {
  private final int status;

  public Refused(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the manager answered with. */
  public int status() {
    return status;
  }

  /** The manager's own words from an error answer's {@code {"name","message"}} body, if it sent one. */
  public static Optional<String> reason(byte[] body) {
    try {
      return Optional.ofNullable(Json.read(body, ErrorBody.class).message());
    } catch (IllegalArgumentException notAnErrorBody) {
      return Optional.empty();
    }
  }
}
