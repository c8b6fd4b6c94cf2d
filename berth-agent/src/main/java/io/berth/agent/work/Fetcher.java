package io.berth.agent.work;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches download actions' archives on the node, as Diego's executor does. With a cache key the
 * archive is kept in {@code DIR/cache/SHA256(key).data} beside a {@code .meta} holding its URL,
 * ETag and Last-Modified, and revalidated with If-None-Match / If-Modified-Since on every use
 * (a 304 reuses it). Without one it goes to a temporary file the caller deletes.
 */
final class Fetcher {
  /** A fetched archive: {@code kind} is tgz, zip or tar, sniffed from its first bytes. */
  record Fetched(Path file, String kind, boolean temporary, boolean fromCache) {}

  private final Path cache;
  private final Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  Fetcher(Path dataDir) {
    this.cache = dataDir.resolve("cache");
    this.tmp = dataDir.resolve("tmp");
  }

  Fetched fetch(String url, String cacheKey) throws IOException {
    Files.createDirectories(tmp);
    if (cacheKey == null || cacheKey.isBlank()) {
      Path file = Files.createTempFile(tmp, "download-", ".archive");
      get(url, null, file);
      return new Fetched(file, kind(file), true, false);
    }
    Files.createDirectories(cache);
    String id = sha256(cacheKey);
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      Path data = cache.resolve(id + ".data");
      Path meta = cache.resolve(id + ".meta");
      Properties p = new Properties();
      if (Files.exists(data) && Files.exists(meta)) {
        try (InputStream in = Files.newInputStream(meta)) {
          p.load(in);
        }
        if (!url.equals(p.getProperty("url"))) p.clear();
      }
      Path part = Files.createTempFile(tmp, "cache-", ".part");
      try {
        HttpResponse<Path> r = get(url, p.isEmpty() ? null : p, part);
        if (r.statusCode() == 304) return new Fetched(data, kind(data), false, true);
        Files.move(part, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Properties fresh = new Properties();
        fresh.setProperty("url", url);
        r.headers().firstValue("ETag").ifPresent(v -> fresh.setProperty("etag", v));
        r.headers().firstValue("Last-Modified").ifPresent(v -> fresh.setProperty("last-modified", v));
        try (var out = Files.newOutputStream(meta)) {
          fresh.store(out, "berth download cache: " + cacheKey);
        }
        return new Fetched(data, kind(data), false, false);
      } finally {
        Files.deleteIfExists(part);
      }
    }
  }

  private HttpResponse<Path> get(String url, Properties cached, Path into) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET();
    if (cached != null) {
      if (cached.getProperty("etag") != null) req.header("If-None-Match", cached.getProperty("etag"));
      if (cached.getProperty("last-modified") != null) req.header("If-Modified-Since", cached.getProperty("last-modified"));
    }
    HttpResponse<Path> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofFile(into));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad URL " + url + ": " + e.getMessage(), e);
    }
    if (r.statusCode() != 200 && !(r.statusCode() == 304 && cached != null)) {
      throw new IOException("GET " + url + " answered " + r.statusCode());
    }
    return r;
  }

  static String kind(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return "tgz";
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') return "zip";
    return "tar";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
