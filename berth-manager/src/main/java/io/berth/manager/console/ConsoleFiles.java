package io.berth.manager.console;

import io.berth.core.error.BerthException;
import io.berth.manager.http.Gzip;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The console's files, served at {@code /} on the API address: berth-console's jar holds them under
 * {@code io/berth/console/} with a list named {@code files} (a jar's directory cannot be listed).
 * They are read and gzipped once, at start. {@code index.html} is revalidated on every load
 * ({@code no-cache} with an ETag); {@code /assets/*} have content-hashed names and are immutable.
 * The API's guard lets anyone fetch them: the page signs in by itself.
 */
public final class ConsoleFiles {
  static final String ROOT = "io/berth/console/";
  private static final String INDEX_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'";
  private final Map<String, File> files;

  /** One file ready to send: its bytes, gzipped bytes (null when gzip would not save), and headers. */
  record File(String contentType, byte[] raw, byte[] gzip, String cacheControl, String etag) {}

  private ConsoleFiles(Map<String, File> files) {
    this.files = files;
  }

  /** The console from the class path; empty (every page a 404 saying so) when this build has none. */
  public static ConsoleFiles fromClassPath() {
    return load(ConsoleFiles.class.getClassLoader(), ROOT);
  }

  static ConsoleFiles load(ClassLoader loader, String root) {
    Map<String, File> out = new LinkedHashMap<>();
    byte[] list = read(loader, root + "files");
    if (list != null) {
      for (String name : new String(list, StandardCharsets.UTF_8).split("\n")) {
        name = name.strip();
        if (name.isEmpty()) continue;
        byte[] raw = read(loader, root + name);
        if (raw == null) throw new IllegalStateException("the console's file list names " + name + ", which is not in the jar");
        boolean index = name.equals("index.html");
        out.put(index ? "/" : "/" + name, new File(contentType(name), raw, gzip(name, raw),
            index ? "no-cache" : "public, max-age=31536000, immutable", etag(raw)));
      }
    }
    return new ConsoleFiles(out);
  }

  /** How many files there are (0: this build has no console). */
  public int size() {
    return files.size();
  }

  public Routes addRoutes(Routes routes) {
    return routes
        .get("/", this::serve)
        .get("/index.html", this::serve)
        .get("/assets/{file}", this::serve);
  }

  private Routes.Reply serve(Request r) {
    String path = r.path().equals("/index.html") ? "/" : r.path();
    File f = files.get(path);
    if (f == null) {
      if (path.equals("/")) {
        throw new BerthException.NotFound("ConsoleNotFound", "this build of Berth has no console (berth-console was built without npm)");
      }
      throw new BerthException.NotFound("RouteNotFound", "no such route: GET " + path);
    }
    Routes.Reply reply;
    if (r.header("If-None-Match").map(v -> v.contains(f.etag())).orElse(false)) {
      reply = new Routes.Reply(304, f.contentType(), new byte[0]);
    } else if (f.gzip() != null && Gzip.accepted(r)) {
      reply = new Routes.Reply(200, f.contentType(), f.gzip()).with("Content-Encoding", "gzip");
    } else {
      reply = new Routes.Reply(200, f.contentType(), f.raw());
    }
    reply = reply.with("Cache-Control", f.cacheControl()).with("ETag", f.etag()).with("X-Content-Type-Options", "nosniff");
    if (f.gzip() != null) reply = reply.with("Vary", "Accept-Encoding");
    if (path.equals("/")) reply = reply.with("Content-Security-Policy", INDEX_POLICY).with("Referrer-Policy", "no-referrer");
    return reply;
  }

  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "json", "map" -> "application/json";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "woff2" -> "font/woff2";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  private static byte[] gzip(String name, byte[] raw) {
    String type = contentType(name);
    if (!(type.startsWith("text/") || type.equals("image/svg+xml") || type.equals("application/json")) || raw.length < 256) return null;
    byte[] z = Gzip.compress(raw, Deflater.BEST_COMPRESSION);
    return z.length < raw.length ? z : null;
  }

  private static String etag(byte[] raw) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
    }
  }
}
