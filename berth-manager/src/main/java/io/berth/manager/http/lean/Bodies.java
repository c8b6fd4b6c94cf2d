package io.berth.manager.http.lean;

import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The framings of HTTP/1.1 bodies (RFC 9112 6-7): a counted length and chunks, each way (chunks coming in: {@link ChunkedInput}). */
final class Bodies {
  private Bodies() {}

  /** A request body of {@code length} bytes; closing it skips what the handler left. */
  static final class FixedInput extends BodyInput {
    private final InputStream in;
    private long left;

    FixedInput(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) return -1;
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) throw new EOFException("connection closed inside a request body");
      left -= n;
      return n;
    }

    @Override
    boolean done() {
      return left == 0;
    }
  }

  /** A response body of exactly {@code length} bytes: more is refused, fewer leaves the connection unusable. */
  static final class FixedOutput extends FilterOutputStream {
    private long left;

    FixedOutput(OutputStream out, long length) {
      super(out);
      this.left = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) throw new IOException("response body longer than its Content-Length");
      out.write(b, off, len);
      left -= len;
    }

    /** Whether the whole promised body was written. */
    boolean complete() {
      return left == 0;
    }

    @Override
    public void close() throws IOException {
      out.flush(); // the connection, not this body, owns the stream
    }
  }

  /** A chunked response body: each write is a chunk (the buffer beneath gathers small ones), {@link #flush} sends them. */
  static final class ChunkedOutput extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private boolean closed;

    ChunkedOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) throw new IOException("response body already closed");
      if (len == 0) return; // an empty chunk would end the body
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b, off, len);
      out.write(CRLF);
    }

    @Override
    public void close() throws IOException {
      if (closed) return;
      closed = true;
      out.write(LAST);
      out.flush();
    }
  }

  /** An HTTP/1.0 response of unknown length: the body ends when the connection closes. */
  static final class UntilCloseOutput extends FilterOutputStream {
    UntilCloseOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
