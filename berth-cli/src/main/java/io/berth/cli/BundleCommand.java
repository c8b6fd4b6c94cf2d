package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth bundle}: a client bundle, as Docker UCP gave them out — the cluster CA, a certificate
 * naming the user and its key, and an {@code env.sh} that points the docker CLI at the manager's
 * Docker endpoint with them. The manager keeps the serial (to list and revoke it), never the key.
 */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = {"Write a client bundle: ca.pem, cert.pem, key.pem (mode 0600) and env.sh for the docker CLI.",
        "'. DIR/env.sh' sets DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH; the Docker endpoint must run with --docker-tls."},
    subcommands = {BundleCommand.Ls.class, BundleCommand.Revoke.class})
final class BundleCommand extends ApiCommand {
  @Option(names = "--user", paramLabel = "USER", description = "Whose bundle (default: yours; only administrators make others').")
  String user;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write it (default: ./bundle-USER).")
  Path output;

  @Override
  public Integer call() throws IOException {
    Map<String, String> body = new LinkedHashMap<>();
    if (user != null) body.put("user", user);
    JsonNode b = api().post("/v1/bundles", Json.bytes(body));
    String who = b.path("user").asText();
    Path dir = (output != null ? output : Path.of("bundle-" + who)).toAbsolutePath();
    write(dir, b);
    out().println("bundle " + b.path("serial").asText() + " for " + who + " in " + dir + " (valid until " + b.path("expires_at").asText() + ")");
    if (!b.path("docker_tls").asBoolean(false)) {
      err().println("berth bundle: the manager's Docker endpoint does not ask for bundles: start it with --docker-tls to use this one");
    }
    out().println("Use it with:  . " + dir.resolve("env.sh") + " && docker ps");
    return 0;
  }

  /** Writes the bundle's files; the key readable by its owner only, created so from the start. */
  static void write(Path dir, JsonNode b) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.pem"), b.path("ca_pem").asText());
    Files.writeString(dir.resolve("cert.pem"), b.path("cert_pem").asText());
    Path key = dir.resolve("key.pem");
    Files.deleteIfExists(key);
    Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, b.path("key_pem").asText());
    String host = b.path("docker_host").asText("");
    Files.writeString(dir.resolve("env.sh"), "# berth bundle " + b.path("serial").asText() + " for " + b.path("user").asText() + "\n"
        + (host.isEmpty() ? "# the manager runs no Docker endpoint\n" : "export DOCKER_HOST=" + host + "\n")
        + "export DOCKER_TLS_VERIFY=1\nexport DOCKER_CERT_PATH=" + quoted(dir.toString()) + "\n");
  }

  private static String quoted(String s) {
    return s.matches("[A-Za-z0-9_./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** {@code berth bundle ls}: bundles, never their keys. */
  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List bundles: yours, or everyone's for an administrator.")
  static final class Ls extends JsonView {
    @Option(names = "--user", paramLabel = "USER", description = "Only this user's (administrators).")
    String user;

    @Override
    String path() {
      return "/v1/bundles" + (user == null ? "" : "?user=" + ApiClient.segment(user));
    }

    @Override
    void print(JsonNode list) {
      new Table("SERIAL", "USER", "CREATED", "BY", "EXPIRES", "STATE")
          .rows(list, b -> new Object[] {b.path("serial").asText(), b.path("user").asText(), b.path("created_at").asText(),
              b.path("created_by").asText(), b.path("expires_at").asText(), b.path("revoked").asBoolean() ? "revoked" : "good"})
          .print(out());
    }
  }

  /** {@code berth bundle revoke SERIAL}: the endpoint refuses the bundle from its next request on. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a bundle: the Docker endpoint refuses it from then on.")
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "SERIAL", description = "The bundle's serial ('berth bundle ls').")
    String serial;

    @Override
    public Integer call() {
      return deleted("/v1/bundles/" + ApiClient.segment(serial), "revoked bundle " + serial);
    }
  }
}
