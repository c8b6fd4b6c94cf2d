package io.berth.manager.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.error.BerthException;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /v1/builds/NAME/hook}: a git server's push webhook, authenticated by the build's secret
 * alone (the API's guard lets it through without a token). GitLab sends the secret itself
 * ({@code X-Gitlab-Token}); GitHub ({@code X-Hub-Signature-256: sha256=HEX}) and Gitea
 * ({@code X-Gitea-Signature: HEX}) an HMAC-SHA256 of the body. Only a push to the build's branch
 * runs, at the pushed commit; anything else is a 202 that says why. A bad or missing signature is a
 * 401, which the API's audit records as every refused call.
 */
final class BuildHooks {
  static final int MAX_BYTES = 1 << 20;
  private final BuildStore store;
  private final BuildRuns runs;

  BuildHooks(BuildStore store, BuildRuns runs) {
    this.store = store;
    this.runs = runs;
  }

  /** The decision on one delivery: a run, or why none. */
  record Answer(String build, Integer run, String ignored) {}

  Routes addRoutes(Routes routes) {
    return routes.post("/v1/builds/{name}/hook", this::hook);
  }

  private Object hook(Request r) throws IOException {
    byte[] body;
    try {
      body = r.bytes();
    } catch (BerthException.Invalid tooLarge) {
      return tooLarge();
    }
    if (body.length > MAX_BYTES) return tooLarge();
    String name = r.param("name");
    Build b = store.find(name).filter(Build::isCode)
        .orElseThrow(() -> new BerthException.NotFound("BuildNotFound", "no such build with a git repository: " + name));
    String provider = verify(b.hookSecret(), body, r::header);
    JsonNode push;
    try {
      push = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BerthException.Invalid("InvalidHook", "the webhook body is not JSON");
    }
    if (push == null || !push.isObject()) throw new BerthException.Invalid("InvalidHook", "the webhook body is not a JSON object");
    Optional<String> notPush = event(provider, r::header);
    if (notPush.isPresent()) return ignored(name, notPush.get());
    String ref = push.path("ref").asText("");
    String after = push.path("after").asText("");
    if (!ref.equals("refs/heads/" + b.branch())) {
      return ignored(name, "a push to " + (ref.isEmpty() ? "no ref" : ref) + "; build " + name + " follows refs/heads/" + b.branch());
    }
    if (after.isEmpty() || after.matches("0+")) return ignored(name, "the push deleted " + ref + ": nothing to build");
    if (!after.matches("[0-9a-f]{7,64}")) throw new BerthException.Invalid("InvalidHook", "after: not a commit id");
    Run run = runs.start(b, b.createdBy(), new BuildRuns.Request(after, null, null), "push via " + provider);
    return Routes.Reply.json(201, new Answer(name, run.number(), null));
  }

  private static Routes.Reply ignored(String build, String why) {
    return Routes.Reply.json(202, new Answer(build, null, why));
  }

  private static Routes.Reply tooLarge() {
    return Routes.Reply.json(413, Map.of("name", "HookTooLarge", "message", "a webhook body is at most " + (MAX_BYTES >> 20) + " MiB"));
  }

  /** Reads a request header. */
  @FunctionalInterface
  interface Headers {
    Optional<String> get(String name);
  }

  /** Which server signed the delivery ({@code gitlab}, {@code github}, {@code gitea}); a 401 when none did with this secret. */
  static String verify(String secret, byte[] body, Headers h) {
    Optional<String> gitlab = h.get("X-Gitlab-Token");
    if (gitlab.isPresent()) {
      if (same(gitlab.get(), secret)) return "gitlab";
      throw refused("X-Gitlab-Token does not match the build's secret");
    }
    Optional<String> github = h.get("X-Hub-Signature-256");
    if (github.isPresent()) {
      if (same(github.get(), "sha256=" + hmac(secret, body))) return "github";
      throw refused("X-Hub-Signature-256 is not the HMAC-SHA256 of the body with the build's secret");
    }
    Optional<String> gitea = h.get("X-Gitea-Signature");
    if (gitea.isPresent()) {
      if (same(gitea.get(), hmac(secret, body))) return "gitea";
      throw refused("X-Gitea-Signature is not the HMAC-SHA256 of the body with the build's secret");
    }
    throw refused("no signature: send X-Gitlab-Token, X-Hub-Signature-256 or X-Gitea-Signature");
  }

  /** Empty for a push; else what the event was. */
  static Optional<String> event(String provider, Headers h) {
    String header = switch (provider) {
      case "gitlab" -> "X-Gitlab-Event";
      case "github" -> "X-GitHub-Event";
      default -> "X-Gitea-Event";
    };
    String want = provider.equals("gitlab") ? "Push Hook" : "push";
    String got = h.get(header).orElse("");
    return got.equals(want) ? Optional.empty() : Optional.of("event '" + got + "' is not a push (" + header + ": " + want + ")");
  }

  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant time, so a caller cannot find the secret byte by byte from how long a refusal takes. */
  private static boolean same(String given, String expected) {
    return MessageDigest.isEqual(given.trim().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static BerthException refused(String why) {
    return new BerthException.Unauthorized("webhook refused: " + why);
  }
}
