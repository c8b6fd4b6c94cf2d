package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ports images expose ({@code EXPOSE}), which a container on the host's network takes on its node.
 * The node listings the view keeps do not carry an image's config, and inspecting every image of every
 * node to fill them would cost a call per image per sync; so an image is inspected when a host-network
 * create first names it, on a node that holds it, and kept by id: an image id's config never changes.
 */
final class ImagePorts {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final NodeLink link;
  private final Map<String, List<String>> byId = new ConcurrentHashMap<>();

  ImagePorts(NodeLink link) {
    this.link = link;
  }

  /** The ports {@code image} exposes ({@code 80/tcp}…), from a node whose listing holds it; empty when none does. */
  List<String> exposed(String image, Map<Node, JsonNode> listings) {
    for (var e : listings.entrySet()) {
      for (JsonNode i : e.getValue()) {
        if (!names(i, image)) continue;
        String id = i.path("Id").asText();
        List<String> known = byId.get(id);
        if (known != null) return known;
        NodeLink.Response r = link.call(e.getKey(), "GET", EngineHttp.V + "/images/" + id + "/json", null);
        if (r.status() != 200) continue; // removed since it was listed: another node may hold it
        try {
          List<String> ports = new ArrayList<>();
          JSON.readTree(r.body()).path("Config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
          byId.put(id, List.copyOf(ports));
          return byId.get(id);
        } catch (IOException ex) {
          // not JSON: try another holder
        }
      }
    }
    return List.of();
  }

  /** True when {@code ref} names the listed image: a tag (no tag meaning {@code latest}), a digest, or its id or a prefix of it. */
  static boolean names(JsonNode image, String ref) {
    for (JsonNode t : image.path("RepoTags")) if (t.asText().equals(ref) || t.asText().equals(ref + ":latest")) return true;
    for (JsonNode d : image.path("RepoDigests")) if (d.asText().equals(ref)) return true;
    String id = image.path("Id").asText();
    String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
    String want = ref.startsWith("sha256:") ? ref.substring("sha256:".length()) : ref;
    return want.length() >= 12 && hex.startsWith(want);
  }
}
