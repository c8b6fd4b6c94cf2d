package io.berth.manager.http.lean;

import java.io.IOException;
import java.io.InputStream;

/** A request body as its framing reads it, which knows whether it was read to its end. */
abstract sealed class BodyInput extends InputStream permits Bodies.FixedInput, ChunkedInput {
  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  /** Whether the whole body was read (the connection may then carry the next request). */
  abstract boolean done();
}
