package io.berth.agent.work;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reads a tar as it streams in (the engine's archive answer), never holding a file's content in memory. */
final class TarStream {
  private static final int BLOCK = 512;

  private TarStream() {}

  /**
   * Copies the content of the first regular file in {@code tar} to {@code out}, skipping what comes before it
   * (GNU long names, pax headers); false when the archive holds none (a directory, a link).
   */
  static boolean firstFile(InputStream tar, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      byte[] h = tar.readNBytes(BLOCK);
      if (h.length < BLOCK || isZero(h)) return false;
      if (!new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) throw new IOException("not a tar archive");
      long size = size(h);
      long padding = (BLOCK - size % BLOCK) % BLOCK;
      if (h[156] != '0' && h[156] != 0) {
        tar.skipNBytes(size + padding);
        continue;
      }
      for (long left = size; left > 0; ) {
        int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) throw new EOFException("the archive ended inside its file");
        out.write(buffer, 0, n);
        left -= n;
      }
      return true;
    }
  }

  /** The size field: octal, or base-256 (the high bit set) for files of 8 GiB and more, as GNU tar and Docker write it. */
  private static long size(byte[] h) {
    long v = 0;
    if ((h[124] & 0x80) != 0) {
      for (int i = 125; i < 136; i++) v = (v << 8) | (h[i] & 0xff);
      return v;
    }
    int i = 124;
    while (i < 136 && h[i] == ' ') i++; // some writers pad the number with leading spaces
    for (; i < 136 && h[i] >= '0' && h[i] <= '7'; i++) v = v * 8 + (h[i] - '0');
    return v;
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) if (b != 0) return false;
    return true;
  }
}
