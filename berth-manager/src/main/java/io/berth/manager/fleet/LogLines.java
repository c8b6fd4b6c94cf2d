package io.berth.manager.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits the body of an engine's {@code GET /containers/{id}/logs} into lines: Docker's
 * multiplexed stream (per frame an 8-byte header — stream type, three zero bytes, big-endian
 * length — then the bytes) for a container without a TTY, the raw bytes for one with.
 *
 * <p>A frame need not end a line, so stdout and stderr each keep their own partial line: two
 * streams' halves are never joined. A line longer than {@link #MAX_LINE} bytes is cut there, so a
 * process that never writes a newline cannot grow the buffer without bound.
 */
final class LogLines {
  static final int MAX_LINE = 64 * 1024;

  private LogLines() {}

  /** Takes one line without its newline (bytes {@code [0, length)}); false to stop reading. */
  @FunctionalInterface
  interface Sink {
    boolean line(byte[] text, int length);
  }

  /** Reads to the end of {@code in}, or until the sink says stop; a partial last line is passed on too. */
  static void read(InputStream in, boolean multiplexed, Sink sink) throws IOException {
    Partial out = new Partial(sink);
    if (!multiplexed) {
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) { // read(), not readNBytes: a followed line goes on at once
        if (!out.feed(buf, n)) return;
      }
      out.end();
      return;
    }
    Partial err = new Partial(sink);
    byte[] head = new byte[8];
    byte[] buf = new byte[8192];
    while (in.readNBytes(head, 0, 8) == 8) {
      Partial to = head[0] == 2 ? err : out;
      long left = ((head[4] & 0xffL) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          if (out.end()) err.end(); // cut mid-frame: pass on what came
          return;
        }
        left -= n;
        if (!to.feed(buf, n)) return;
      }
    }
    if (out.end()) err.end();
  }

  /** One stream's line so far. */
  private static final class Partial {
    private final Sink sink;
    private byte[] line = new byte[256];
    private int length;
    /** The line was just cut at {@link #MAX_LINE}: a newline right after it ends nothing more. */
    private boolean cut;

    Partial(Sink sink) {
      this.sink = sink;
    }

    boolean feed(byte[] buf, int n) {
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          if (!cut && !emit()) return false;
          cut = false;
          continue;
        }
        cut = false;
        if (length == line.length) line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
        line[length++] = buf[i];
        if (length == MAX_LINE) {
          if (!emit()) return false;
          cut = true;
        }
      }
      return true;
    }

    /** Passes on a last line that had no newline. */
    boolean end() {
      return length == 0 || emit();
    }

    private boolean emit() {
      int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length; // a TTY ends its lines with CRLF
      length = 0;
      return sink.line(line, n);
    }
  }
}
