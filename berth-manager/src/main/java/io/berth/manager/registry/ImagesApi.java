package io.berth.manager.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/images}: the registry's repositories and tags as the caller may see them, deleting tags
 * and making repositories public. A repository name travels URL-encoded in one path segment
 * ({@code /v1/images/team%2Fapp/tags}).
 */
final class ImagesApi {
  private final Access access;
  private final RegistryClient registry;

  ImagesApi(Access access, RegistryClient registry) {
    this.access = access;
    this.registry = registry;
  }

  record Repository(String name, @JsonProperty("public") boolean isPublic, List<String> tags) {}

  record Deleted(String repository, String tag, String digest, List<String> deletedTags) {}

  Routes addRoutes(Routes r) {
    return r
        .get("/v1/images", this::list)
        .get("/v1/images/{repo}/tags", req -> {
          String repo = repo(req);
          access.require(req.principal(), ResourceKind.REPO, repo, Action.PULL);
          List<RegistryClient.Tag> out = new ArrayList<>();
          for (String t : registry.tags(repo)) registry.tag(repo, t).ifPresent(out::add);
          if (out.isEmpty()) throw new BerthException.NotFound("RepositoryNotFound", "no such repository (or it has no tags): " + repo);
          return out;
        })
        .delete("/v1/images/{repo}/tags/{tag}", req -> {
          String repo = repo(req);
          String tag = req.param("tag");
          if (!tag.matches("[\\w][\\w.-]{0,127}")) throw new BerthException.Invalid("InvalidTag", "not a tag: '" + tag + "'");
          access.require(req.principal(), ResourceKind.REPO, repo, Action.DELETE_TAG);
          RegistryClient.Tag t = registry.tag(repo, tag).orElseThrow(
              () -> new BerthException.NotFound("TagNotFound", "no tag " + tag + " in repository " + repo));
          // distribution deletes manifests, not tags: every tag on the same digest goes too, and the caller is told which
          List<String> sharing = new ArrayList<>();
          for (String other : registry.tags(repo)) {
            if (other.equals(tag) || registry.tag(repo, other).map(o -> o.digest().equals(t.digest())).orElse(false)) sharing.add(other);
          }
          registry.deleteManifest(repo, t.digest());
          return new Deleted(repo, tag, t.digest(), sharing);
        })
        .put("/v1/images/{repo}/visibility", req -> {
          String repo = repo(req);
          access.require(req.principal(), ResourceKind.REPO, repo, Action.VISIBILITY);
          Boolean pub = visibility(req);
          access.setPublic(repo, pub);
          return new Repository(repo, pub, registry.tags(repo));
        });
  }

  private List<Repository> list(Request req) {
    Principal p = req.principal();
    List<Repository> out = new ArrayList<>();
    for (String repo : registry.repositories()) {
      boolean pub = access.isPublic(repo);
      if (!pub && !access.allows(p, ResourceKind.REPO, repo, Action.VIEW)) continue;
      out.add(new Repository(repo, pub, registry.tags(repo)));
    }
    return out;
  }

  private static Boolean visibility(Request req) throws IOException {
    JsonNode body = req.object();
    if (!body.path("public").isBoolean()) {
      throw new BerthException.Invalid("public: required, true or false, e.g. {\"public\": true}");
    }
    return body.path("public").asBoolean();
  }

  /** The repository parameter, checked against distribution's grammar so it cannot walk other paths of the registry. */
  static String repo(Request req) {
    String repo = req.param("repo");
    if (!Scope.isRepositoryName(repo)) {
      throw new BerthException.Invalid("InvalidRepository", "not a repository name: '" + repo
          + "' (lower-case letters, digits, '.', '_', '-', components joined by '/': team/app)");
    }
    return repo;
  }
}
