package io.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String url = first(api, System.getenv("BERTH_API"));
    String tok = first(token, System.getenv("BERTH_TOKEN"));
    try {
      if (url == null) {
        Path info = dir.resolve("manager.json");
        if (!Files.exists(info)) {
          throw new IllegalStateException("no manager found: none has run with data dir " + dir
              + "; start one with 'berth dev', or give --api URL (or BERTH_API)");
        }
        url = io.berth.cluster.Json.MAPPER.readTree(info.toFile()).path("api").asText();
      }
      if (tok == null) {
        Path file = dir.resolve("admin.token");
        if (!Files.isReadable(file)) {
          throw new IllegalStateException("no API token: give --token (or BERTH_TOKEN), or run where " + file + " is readable");
        }
        tok = Files.readString(file).trim();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the local manager's files in " + dir + ": " + e.getMessage(), e);
    }
    return new ApiClient(url, tok);
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
  }
}
