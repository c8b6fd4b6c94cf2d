package io.berth.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of a (ustar or GNU) tar archive: what {@code GET /containers/{id}/archive}
 * answers. Long GNU names ({@code ././@LongLink}) and pax headers are understood for names only.
 */
public final class TarReader {
  private static final int BLOCK = 512;

  private TarReader() {}

  /** One entry: {@code type} is the tar type flag ('0' file, '5' directory, '2' symlink, ...). */
  public record Entry(String name, char type, int mode, byte[] content, String link) {
    public boolean isFile() {
      return type == '0' || type == 0;
    }
  }

  /** Every entry of {@code tar}; throws {@link IllegalArgumentException} when it is not a tar. */
  public static List<Entry> read(byte[] tar) {
    try {
      return read(new ByteArrayInputStream(tar));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry read from {@code in}, up to the end-of-archive blocks or the end of the stream. */
  public static List<Entry> read(InputStream in) throws IOException {
    List<Entry> entries = new ArrayList<>();
    String longName = null;
    while (true) {
      byte[] h = in.readNBytes(BLOCK);
      if (h.length < BLOCK || isZero(h)) return entries;
      if (!checksumMatches(h)) throw new IllegalArgumentException("not a tar archive (bad header checksum)");
      String name = string(h, 0, 100);
      String prefix = string(h, 345, 155);
      if (!prefix.isEmpty() && string(h, 257, 6).startsWith("ustar")) name = prefix + "/" + name;
      long size = octal(h, 124, 12);
      char type = (char) h[156];
      byte[] content = in.readNBytes((int) size);
      in.readNBytes((int) ((BLOCK - size % BLOCK) % BLOCK));
      if (type == 'L') { // GNU long name: the next entry's name is this entry's content
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'x' || type == 'g') {
        String path = paxPath(content);
        if (path != null && type == 'x') longName = path;
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      entries.add(new Entry(name, type, (int) octal(h, 100, 8), content, string(h, 157, 100)));
    }
  }

  private static String paxPath(byte[] pax) {
    for (String record : new String(pax, StandardCharsets.UTF_8).split("\n")) {
      int sp = record.indexOf(' ');
      if (sp > 0 && record.startsWith("path=", sp + 1)) return record.substring(sp + 6);
    }
    return null;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) if (b != 0) return false;
    return true;
  }

  private static boolean checksumMatches(byte[] h) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    return sum == octal(h, 148, 8);
  }

  private static String string(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) end++;
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int offset, int length) {
    String s = string(h, offset, length).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
