package io.berth.manager.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer's body in HTTP/1.1 chunks, as the engine frames {@code events} and progress:
 * what is written between two flushes goes out as one chunk, so a writer that flushes after each
 * event sends one event per chunk. Without the framing, clients that read by chunk (the Python
 * SDK's {@code events(decode=True)}) wait for the connection to close and see nothing until then.
 */
final class ChunkedOutput extends OutputStream {
  private static final byte[] CRLF = {'\r', '\n'};
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  ChunkedOutput(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  /** Sends what was written since the last flush as one chunk; an empty one would end the body, so none is sent. */
  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      out.write((Integer.toHexString(pending.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      pending.writeTo(out);
      out.write(CRLF);
      pending.reset();
    }
    out.flush();
  }

  /** Sends what is left and the last, empty chunk: the client then knows the body ended well. */
  void finish() throws IOException {
    flush();
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
