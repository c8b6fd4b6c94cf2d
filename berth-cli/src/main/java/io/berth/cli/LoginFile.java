package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code login.json} in the client's data dir: the session token {@code berth login} got, for one
 * API. It is a secret, so it is written only as a file its owner alone may read (0600, in a 0700
 * directory when the directory is new), and replaced atomically so a reader never sees half of it.
 */
final class LoginFile {
  static final String NAME = "login.json";

  /** One sign-in: which API, as whom, the session token and when the manager said it expires (null: not said). */
  record Login(String api, String user, String token, Instant expiresAt) {
    /**
     * True when this login was made against {@code url}, however its trailing slashes and case differ.
     * Either may be a list of managers' URLs: one URL in common is enough, since all managers of a
     * cluster share its sessions.
     */
    boolean isFor(String url) {
      for (String mine : (api == null ? "" : api).split(",")) {
        for (String theirs : (url == null ? "" : url).split(",")) {
          if (same(mine, theirs)) return true;
        }
      }
      return false;
    }

    boolean expired(Instant now) {
      return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
      return "Login[api=" + api + ", user=" + user + ", expiresAt=" + expiresAt + "]"; // never the token
    }
  }

  private LoginFile() {}

  static Path path(Path dir) {
    return dir.resolve(NAME);
  }

  /** The login kept in {@code dir}, if there is one; a file that cannot be read is an error that says how to get rid of it. */
  static Optional<Login> read(Path dir) {
    Path file = path(dir);
    if (!Files.exists(file)) return Optional.empty();
    try {
      JsonNode n = JsonTree.read(file.toFile());
      String api = n.path("api").asText("");
      String token = n.path("token").asText("");
      if (api.isEmpty() || token.isEmpty()) throw new IOException("it has no api or no token");
      String expires = n.path("expires_at").asText("");
      return Optional.of(new Login(api, n.path("user").asText(""), token, expires.isEmpty() ? null : Instant.parse(expires)));
    } catch (IOException | DateTimeParseException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse("")
          + "; 'berth logout' removes it", e);
    }
  }

  /** Writes {@code login} to {@code dir}, readable by its owner only; returns the file. */
  static Path write(Path dir, Login login) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("api", login.api());
    json.put("user", login.user());
    json.put("token", login.token());
    json.put("expires_at", login.expiresAt() == null ? null : login.expiresAt().toString());
    Path file = path(dir);
    Path tmp = null;
    try {
      createPrivateDir(dir);
      tmp = Files.createTempFile(dir, ".login-", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, Json.bytes(json));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the move took it, or it is a stray temp file that holds a token only its owner can read
        }
      }
    }
  }

  /** Removes the login kept in {@code dir}; false when there was none. */
  static boolean delete(Path dir) {
    try {
      return Files.deleteIfExists(path(dir));
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + path(dir) + ": " + e.getMessage(), e);
    }
  }

  static boolean same(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(String url) {
    String s = url == null ? "" : url.trim();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s.toLowerCase(Locale.ROOT);
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    try {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by someone else; it is used as it is
    }
  }
}
