package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine calls a {@link NodeCache} reads its node with: listings, an inspect, images, networks. */
record NodeReads(NodeLink link, Node node) {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final String V = EngineHttp.V;

  /** Every container of the node, stopped ones too, as {@code /containers/json} lists them. */
  JsonNode containers() throws IOException {
    return list(V + "/containers/json?all=1");
  }

  /** The node's containers among {@code ids}: one listing filtered on them. */
  JsonNode containers(List<String> ids) throws IOException {
    return list(V + "/containers/json?all=1&filters=" + enc(JSON.writeValueAsString(Map.of("id", ids))));
  }

  /** The container's state as its inspect says; empty when the node has no such container. */
  Optional<ContainerStatus> inspect(String id) throws IOException {
    NodeLink.Response r = link.call(node, "GET", V + "/containers/" + id + "/json", null);
    if (r.status() == 404) return Optional.empty();
    if (r.status() != 200) throw new IOException("inspect " + id + " answered " + r.status());
    return Optional.of(ContainerStatus.of(JSON.readTree(r.body())));
  }

  JsonNode images() throws IOException {
    return list(V + "/images/json");
  }

  /** An engine that cannot list networks (404, 501: an engine proxy or fake that lacks the route) holds none a placement could need. */
  JsonNode networks() throws IOException {
    NodeLink.Response r = link.call(node, "GET", V + "/networks", null);
    if (r.status() == 404 || r.status() == 501) return JSON.createArrayNode();
    if (r.status() != 200) throw new IOException("/networks answered " + r.status());
    return arrayOrEmpty(JSON.readTree(r.body()));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode list(String target) throws IOException {
    NodeLink.Response r = link.call(node, "GET", target, null);
    if (r.status() != 200) throw new IOException(target + " answered " + r.status());
    return arrayOrEmpty(JSON.readTree(r.body()));
  }

  private static JsonNode arrayOrEmpty(JsonNode j) {
    return j instanceof ArrayNode ? j : JSON.createArrayNode();
  }
}
