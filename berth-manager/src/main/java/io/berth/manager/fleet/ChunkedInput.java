package io.berth.manager.fleet;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an HTTP/1.1 chunked body as the plain bytes it carries. At the last chunk it also reads the
 * trailers and the blank line, so the next message on a kept-alive connection starts clean.
 */
final class ChunkedInput extends InputStream {
  private final InputStream in;
  private int left;
  private boolean done;

  ChunkedInput(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) return -1;
    if (left == 0) {
      String size = HttpMessage.line(in);
      if (size != null && size.isEmpty()) size = HttpMessage.line(in); // the CRLF after the previous chunk
      if (size == null) {
        done = true;
        return -1;
      }
      int semi = size.indexOf(';');
      left = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (left == 0) {
        for (String t = HttpMessage.line(in); t != null && !t.isEmpty(); t = HttpMessage.line(in)) { /* trailers */ }
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, Math.min(len, left));
    if (n < 0) {
      done = true;
      return -1;
    }
    left -= n;
    return n;
  }
}
