package io.berth.manager.docker;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One {@code docker ps} answer made of kept rows ({@link PsRows}): each row's bytes before and after its Status,
 * and the Status of the moment between them. Its length is known before a byte is written, and its bytes are
 * copied from the rows to the client in chunks as they go. At 30,000 rows that is 11 MB never put together in one
 * array: two such arrays per call (the one assembled and its copy) were G1 humongous allocations whose collections
 * made the slow tail of {@code ps} at 1,000 nodes.
 */
final class PsListing implements Reply.Body {
  /** What goes out per write: small enough for the young generation, large enough for few system calls. */
  static final int CHUNK = 64 * 1024;
  private final byte[][] heads;
  private final byte[][] statuses;
  private final byte[][] tails;
  private final long length;

  /** Row {@code i} is {@code heads[i]}, then, when {@code tails[i]} is not null, {@code statuses[i]} and {@code tails[i]}. */
  PsListing(byte[][] heads, byte[][] statuses, byte[][] tails) {
    this.heads = heads;
    this.statuses = statuses;
    this.tails = tails;
    long n = 2 + Math.max(0, heads.length - 1); // the brackets and the commas
    for (int i = 0; i < heads.length; i++) n += heads[i].length + (tails[i] == null ? 0 : statuses[i].length + tails[i].length);
    this.length = n;
  }

  /** The answer's length in bytes: its {@code Content-Length}. */
  long length() {
    return length;
  }

  /** Writes the JSON array; flushes {@code out} at the end. */
  @Override
  public void write(OutputStream out) throws IOException {
    OutputStream b = new BufferedOutputStream(out, CHUNK);
    b.write('[');
    for (int i = 0; i < heads.length; i++) {
      if (i > 0) b.write(',');
      b.write(heads[i]);
      if (tails[i] != null) {
        b.write(statuses[i]);
        b.write(tails[i]);
      }
    }
    b.write(']');
    b.flush();
  }
}
