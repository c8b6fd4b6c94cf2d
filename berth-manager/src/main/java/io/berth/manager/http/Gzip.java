package io.berth.manager.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Gzip for replies: whether a client takes it, and compressing a body in memory. */
public final class Gzip {
  private Gzip() {}

  /** True when {@code Accept-Encoding} names gzip (or {@code *}) without refusing it ({@code gzip;q=0}). */
  public static boolean accepted(String acceptEncoding) {
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.strip().split(";");
      String coding = p[0].strip();
      if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) continue;
      for (int i = 1; i < p.length; i++) {
        String q = p[i].strip();
        if (q.startsWith("q=")) {
          try {
            if (Double.parseDouble(q.substring(2)) == 0) return false;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  /** True when the request's {@code Accept-Encoding} takes gzip. */
  public static boolean accepted(Request r) {
    return accepted(r.header("Accept-Encoding").orElse(""));
  }

  /** The body compressed at {@code level} ({@link Deflater#BEST_SPEED} … {@link Deflater#BEST_COMPRESSION}). */
  public static byte[] compress(byte[] body, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(level);
      }
    }) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory only: cannot happen
    }
    return out.toByteArray();
  }

  /** A 200 of {@code body}, gzipped when the client takes it. */
  public static Routes.Reply reply(Request r, String contentType, byte[] body, int level) {
    if (!accepted(r)) return new Routes.Reply(200, contentType, body).with("Vary", "Accept-Encoding");
    return new Routes.Reply(200, contentType, compress(body, level)).with("Content-Encoding", "gzip").with("Vary", "Accept-Encoding");
  }
}
