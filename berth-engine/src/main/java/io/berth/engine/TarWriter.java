package io.berth.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a ustar archive in memory: directories, regular files and symlinks, all owned by root.
 * {@link #fileHeader} gives the header of one file whose content is streamed by the caller.
 */
public final class TarWriter {
  private static final int BLOCK = 512;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public TarWriter directory(String name, int mode) {
    header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    return this;
  }

  public TarWriter file(String name, int mode, byte[] content) {
    header(name, mode, content.length, '0', "");
    out.writeBytes(content);
    out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    return this;
  }

  public TarWriter symlink(String name, String target) {
    header(name, 0777, 0, '2', target);
    return this;
  }

  /** Ends the archive with its two zero blocks and returns it. */
  public byte[] finish() {
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /**
   * The 512-byte header of a regular file of {@code size} bytes; the caller writes the content,
   * then {@link #padding} zero bytes, then (once, after the last entry) {@link #end}.
   */
  public static byte[] fileHeader(String name, int mode, long size) {
    TarWriter one = new TarWriter();
    one.header(name, mode, size, '0', "");
    return one.out.toByteArray();
  }

  /** The zero bytes that follow {@code size} bytes of content to fill its last block. */
  public static byte[] padding(long size) {
    return new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)];
  }

  /** The two zero blocks that end an archive. */
  public static byte[] end() {
    return new byte[2 * BLOCK];
  }

  private void header(String name, int mode, long size, char type, String link) {
    if (name.length() > 99 || link.length() > 99) {
      throw new IllegalArgumentException("tar name too long for ustar: " + name);
    }
    byte[] h = new byte[BLOCK];
    put(h, 0, name);
    put(h, 100, octal(mode, 7));
    put(h, 108, octal(0, 7));
    put(h, 116, octal(0, 7));
    put(h, 124, octal(size, 11));
    put(h, 136, octal(System.currentTimeMillis() / 1000, 11));
    h[156] = (byte) type;
    put(h, 157, link);
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    put(h, 265, "root");
    put(h, 297, "root");
    for (int i = 148; i < 156; i++) {
      h[i] = ' '; // the checksum is computed with its own field as spaces
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, octal(sum, 6) + "\0 ");
    out.writeBytes(h);
  }

  private static String octal(long value, int digits) {
    String s = Long.toOctalString(value);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
