package io.berth.manager.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager's own calls to the registry's HTTP API (distribution's {@code /v2/}), each with a
 * token it signs for itself for just that call's scope. A registry that does not answer is a 503
 * saying where it was looked for.
 */
final class RegistryClient implements TokenGrants.Repositories {
  static final String MANIFEST_TYPES = String.join(", ",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json");
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final String SUBJECT = "berth-manager";

  private final String base;
  private final RegistryTokens tokens;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  RegistryClient(String hostPort, RegistryTokens tokens, Clock clock) {
    this.base = "http://" + hostPort;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** One tag: the digest of its manifest, and the image's size (config and layers, as pushed, compressed). */
  record Tag(String tag, String digest, long size) {}

  /** Every repository in the registry (the catalog, page by page), in its order. */
  List<String> repositories() {
    List<String> out = new ArrayList<>();
    String next = "/v2/_catalog?n=1000";
    while (next != null) {
      HttpResponse<String> r = send("GET", next, new Scope(Scope.REGISTRY, "catalog", Set.of("*")), null);
      expect(r, 200, "list the registry's repositories");
      for (JsonNode n : read(r).path("repositories")) out.add(n.asText());
      next = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(null);
    }
    return out;
  }

  /** The tags of a repository; empty when the registry does not know it (or it has none left). */
  List<String> tags(String repo) {
    HttpResponse<String> r = send("GET", "/v2/" + repo + "/tags/list", Scope.repository(repo, "pull"), null);
    if (r.statusCode() == 404) return List.of();
    expect(r, 200, "list the tags of " + repo);
    List<String> out = new ArrayList<>();
    for (JsonNode n : read(r).path("tags")) out.add(n.asText());
    return out.stream().sorted().toList();
  }

  @Override
  public boolean exists(String repository) {
    try {
      return !tags(repository).isEmpty();
    } catch (BerthException e) {
      return true; // cannot tell: then only an existing role lets a push in
    }
  }

  /** The tag's manifest digest and image size, or empty when there is no such tag. */
  Optional<Tag> tag(String repo, String tag) {
    HttpResponse<String> r = send("GET", "/v2/" + repo + "/manifests/" + enc(tag), Scope.repository(repo, "pull"), MANIFEST_TYPES);
    if (r.statusCode() == 404) return Optional.empty();
    expect(r, 200, "read " + repo + ":" + tag);
    String digest = r.headers().firstValue("Docker-Content-Digest").orElse("");
    JsonNode m = read(r);
    long size = m.path("config").path("size").asLong(0);
    for (JsonNode l : m.path("layers")) size += l.path("size").asLong(0);
    for (JsonNode l : m.path("manifests")) size += l.path("size").asLong(0); // a list: its entries' manifests only
    return Optional.of(new Tag(tag, digest, size));
  }

  /** Deletes a manifest by digest: every tag that points to it goes with it. */
  void deleteManifest(String repo, String digest) {
    HttpResponse<String> r = send("DELETE", "/v2/" + repo + "/manifests/" + digest, Scope.repository(repo, "delete"), null);
    if (r.statusCode() == 404) throw new BerthException.NotFound("TagNotFound", "no manifest " + digest + " in " + repo);
    if (r.statusCode() == 405) {
      throw new BerthException.Unsupported("the registry refuses deletes: its config needs storage.delete.enabled: true");
    }
    expect(r, 202, "delete " + digest + " from " + repo);
  }

  private HttpResponse<String> send(String method, String path, Scope scope, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + tokens.sign(SUBJECT, List.of(scope), clock.instant()))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (accept != null) b.header("Accept", accept);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BerthException.Unavailable("the image registry at " + base + " does not answer: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException.Unavailable("interrupted while calling the image registry");
    }
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() == status) return;
    String message;
    try {
      message = JSON.readTree(r.body()).path("errors").path(0).path("message").asText(r.body());
    } catch (IOException e) {
      message = r.body();
    }
    throw new BerthException.Unavailable("the image registry did not " + what + ": " + r.statusCode() + " " + message);
  }

  private static JsonNode read(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new BerthException.Unavailable("the image registry answered something that is not JSON: " + e.getMessage());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
