package io.berth.manager.http.lean;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an HTTP/1.1 chunked body (RFC 9112 7.1) as the plain bytes it carries. Chunk extensions are ignored; at the last
 * chunk the trailers and the blank line after them are read and dropped, so the next message on a kept-alive connection
 * starts clean. A malformed chunk size, or a size or trailer line over 4 KiB, is an {@link IOException} either way.
 *
 * <p>The flag changes two things. {@link #strict} (the lean server's request bodies): the connection ending anywhere
 * before the blank line after the last chunk is an {@link EOFException}, and a chunk's data must be followed by its CRLF,
 * so a cut or garbled body is never taken for a whole one, nor its connection reused. {@link #lenient} (the fleet's
 * {@code HttpMessage}: engines' answers, and the Docker endpoint's requests): the connection ending anywhere ends the body
 * as the last chunk would (an engine may just close a stream it stops), and a blank line before a chunk's size is passed
 * over, whether it is the CRLF after the previous chunk's data or a stray one; a missing CRLF there is passed over too.
 */
public final class ChunkedInput extends BodyInput {
  private static final int MAX_LINE = 4096;
  private final InputStream in;
  private final boolean strict;
  private long chunkLeft;
  private boolean crlfDue;
  private boolean done;

  private ChunkedInput(InputStream in, boolean strict) {
    this.in = in;
    this.strict = strict;
  }

  /** A request body: a cut connection or a chunk without its CRLF is an error. */
  public static ChunkedInput strict(InputStream in) {
    return new ChunkedInput(in, true);
  }

  /** An engine's answer: the connection's end is the body's end, and a blank line before a chunk size is passed over. */
  public static ChunkedInput lenient(InputStream in) {
    return new ChunkedInput(in, false);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) return -1;
    if (chunkLeft == 0) {
      String sizeLine = sizeLine();
      chunkLeft = sizeLine == null ? 0 : size(sizeLine);
      if (chunkLeft == 0) {
        if (sizeLine != null) skipTrailers();
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, chunkLeft));
    if (n < 0) {
      if (strict) throw new EOFException("connection closed inside a chunk");
      done = true;
      return -1;
    }
    chunkLeft -= n;
    crlfDue = chunkLeft == 0;
    return n;
  }

  /** Whether the whole body was read, up to the blank line after its trailers (a lenient body also ends at the connection's end). */
  @Override
  public boolean done() {
    return done;
  }

  /** The next chunk's size line, read past the CRLF that ends the previous chunk's data; null when lenient at the connection's end. */
  private String sizeLine() throws IOException {
    String line = line();
    if (strict) {
      if (crlfDue) {
        if (!line.isEmpty()) throw new IOException("malformed chunk: no CRLF after its data");
        line = line();
      }
    } else if (line != null && line.isEmpty()) {
      line = line();
    }
    crlfDue = false;
    return line;
  }

  private void skipTrailers() throws IOException {
    for (String t = line(); t != null && !t.isEmpty(); t = line()) { /* trailers are dropped */ }
  }

  private static long size(String line) throws IOException {
    int semi = line.indexOf(';'); // chunk extensions are ignored
    String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
    // Hex digits only: Long.parseLong would also take a sign, and a negative size would break the reads.
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IOException("malformed chunk size");
    }
    return Long.parseLong(hex, 16);
  }

  /** One line without its CR and LF; at the connection's end an {@link EOFException} when strict, null when lenient. */
  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        if (strict) throw new EOFException("connection closed inside a chunked body");
        return null;
      }
      if (s.length() >= MAX_LINE) throw new IOException("chunk line too long");
      if (c != '\r') s.append((char) c);
    }
    return s.toString();
  }
}
