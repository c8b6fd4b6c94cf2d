package io.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a client command finds its manager and whom it calls as: {@code --api} / {@code BERTH_API},
 * else the files a manager on this machine left in its data dir; and the first token of
 * {@code --token}, {@code BERTH_TOKEN}, the {@code berth login} session for that API, the local
 * manager's admin.token.
 */
final class ClientOptions {
  @Option(names = "--api", paramLabel = "URL[,URL…]", description = {"The manager's API, e.g. http://10.0.0.1:8080 (default: $BERTH_API, else the local manager's).",
      "Several managers' URLs, comma-separated, are tried in order: the next only when one cannot be reached."})
  String api;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: $BERTH_TOKEN, else the 'berth login' session for this API, else the local manager's admin.token).")
  String token;

  @Option(names = "--data", paramLabel = "DIR", description = "Where login.json and a local manager's files are (default: $BERTH_DATA or ~/.berth).")
  Path data;

  /** A token and where it was found, as {@code berth whoami} tells it. */
  record Credential(String token, String source) {
    @Override
    public String toString() {
      return "Credential[source=" + source + "]"; // never the token
    }
  }

  private Credential credential;

  ApiClient client() {
    String url = apiUrl();
    credential = credential(token, System.getenv("BERTH_TOKEN"), url, dataDir(), Instant.now());
    return new ApiClient(url, credential.token());
  }

  /** The credential {@link #client()} chose. */
  Credential credential() {
    if (credential == null) client();
    return credential;
  }

  Path dataDir() {
    return data != null ? data : DataDir.defaultDir();
  }

  String apiUrl() {
    return requireApi(api, dataDir());
  }

  /** As {@link #api(String, Path)}, and an error that says what to do when there is none. */
  static String requireApi(String flag, Path dir) {
    return api(flag, dir).orElseThrow(() -> new IllegalStateException("no manager found: none has run with data dir " + dir
        + "; start one with 'berth dev', or give --api URL (or BERTH_API)"));
  }

  /** The manager's API: {@code flag}, else $BERTH_API, else what a manager that ran with data dir {@code dir} wrote there. */
  static Optional<String> api(String flag, Path dir) {
    String url = first(flag, System.getenv("BERTH_API"));
    if (url != null) return Optional.of(url);
    Path info = dir.resolve("manager.json");
    if (!Files.exists(info)) return Optional.empty();
    try {
      return Optional.of(JsonTree.read(info.toFile()).path("api").asText());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the local manager's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token a client command calls {@code api} with: {@code flag}, else {@code env} ($BERTH_TOKEN),
   * else the login.json in {@code dir} when it was made for {@code api}, else the admin.token a
   * manager left in {@code dir}. An expired login for this API is an error rather than a silent
   * fall back to the admin token: whoever signed in as alice should not find they act as admin.
   */
  static Credential credential(String flag, String env, String api, Path dir, Instant now) {
    if (present(flag)) return new Credential(flag.trim(), "--token");
    if (present(env)) return new Credential(env.trim(), "$BERTH_TOKEN");
    Optional<LoginFile.Login> login = LoginFile.read(dir).filter(l -> l.isFor(api));
    if (login.isPresent()) {
      LoginFile.Login l = login.get();
      if (l.expired(now)) {
        throw new IllegalStateException("the login to " + l.api() + " as " + l.user() + " expired at " + l.expiresAt()
            + ": run 'berth login' again (or 'berth logout' to stop using it)");
      }
      return new Credential(l.token(), LoginFile.path(dir) + " (" + l.user() + ")");
    }
    return new Credential(adminToken(dir, "no API token: run 'berth login', give --token (or BERTH_TOKEN), or run where "
        + dir.resolve("admin.token") + " is readable"), dir.resolve("admin.token").toString());
  }

  /**
   * The token of a service such as the router: {@code flag}, else $BERTH_TOKEN, else the admin.token
   * a manager left in {@code dir}. A person's {@code berth login} session is not used for it.
   */
  static String token(String flag, Path dir) {
    String tok = first(flag, System.getenv("BERTH_TOKEN"));
    if (tok != null) return tok;
    return adminToken(dir, "no API token: give --token (or BERTH_TOKEN), or run where " + dir.resolve("admin.token") + " is readable");
  }

  private static String adminToken(Path dir, String missing) {
    Path file = dir.resolve("admin.token");
    if (!Files.isReadable(file)) throw new IllegalStateException(missing);
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the local manager's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static String first(String a, String b) {
    return present(a) ? a : present(b) ? b : null;
  }
}
