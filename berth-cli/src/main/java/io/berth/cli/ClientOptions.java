package io.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a client command finds its manager: {@code --api} / {@code BERTH_API} and {@code --token} /
 * {@code BERTH_TOKEN}, else the files a manager on this machine left in its data dir.
 */
final class ClientOptions {
  @Option(names = "--api", paramLabel = "URL", description = "The manager's API, e.g. http://10.0.0.1:8080 (default: $BERTH_API, else the local manager's).")
  String api;

  @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $BERTH_TOKEN, else the local manager's admin.token).")
  String token;

  @Option(names = "--data", paramLabel = "DIR", description = "A local manager's data dir (default: $BERTH_DATA or ~/.berth).")
  Path data;

  ApiClient client() {
    Path dir = data != null ? data : Flags.defaultDataDir();
    String url = api(api, dir).orElseThrow(() -> new IllegalStateException("no manager found: none has run with data dir " + dir
        + "; start one with 'berth dev', or give --api URL (or BERTH_API)"));
    return new ApiClient(url, token(token, dir));
  }

  /** The manager's API: {@code flag}, else $BERTH_API, else what a manager that ran with data dir {@code dir} wrote there. */
  static Optional<String> api(String flag, Path dir) {
    String url = first(flag, System.getenv("BERTH_API"));
    if (url != null) return Optional.of(url);
    Path info = dir.resolve("manager.json");
    if (!Files.exists(info)) return Optional.empty();
    try {
      return Optional.of(io.berth.cluster.Json.MAPPER.readTree(info.toFile()).path("api").asText());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the local manager's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The API token: {@code flag}, else $BERTH_TOKEN, else the admin.token a manager left in {@code dir}. */
  static String token(String flag, Path dir) {
    String tok = first(flag, System.getenv("BERTH_TOKEN"));
    if (tok != null) return tok;
    Path file = dir.resolve("admin.token");
    if (!Files.isReadable(file)) {
      throw new IllegalStateException("no API token: give --token (or BERTH_TOKEN), or run where " + file + " is readable");
    }
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the local manager's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
  }
}
