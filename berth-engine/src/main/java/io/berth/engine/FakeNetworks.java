package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hollow engine's networks for {@link FakeDockerServer}: its own {@code bridge}, {@code host} and {@code none},
 * and the local networks made on it, with the engine's routes (list, create, inspect, remove, connect,
 * disconnect), shapes and messages. A network is local to this engine only: it has no other node to reach.
 */
public final class FakeNetworks {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Pattern ONE = Pattern.compile("^/networks/([^/]+)(?:/(connect|disconnect))?$");
  private static final List<String> PREDEFINED = List.of("bridge", "host", "none");
  /** By id, in creation order. */
  private final Map<String, ObjectNode> byId = Collections.synchronizedMap(new LinkedHashMap<>());

  /** An answer to write: its status and JSON value (null: no body). */
  public record Answer(int status, Object body) {}

  public FakeNetworks() {
    for (String name : PREDEFINED) make(name, name.equals("none") ? "null" : name, JSON.createObjectNode());
  }

  /** The answer to a {@code /networks} request (path without the version), or null when the path is not one. */
  public Answer answer(String method, String path, byte[] body) {
    if (path.equals("/networks") && method.equals("GET")) {
      ArrayNode all = JSON.createArrayNode();
      synchronized (byId) {
        byId.values().forEach(all::add);
      }
      return new Answer(200, all);
    }
    if (path.equals("/networks/create") && method.equals("POST")) return create(read(body));
    if (path.equals("/networks/prune") && method.equals("POST")) return prune();
    Matcher m = ONE.matcher(path);
    if (!m.matches()) return null;
    ObjectNode net = find(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
    String action = m.group(2) == null ? "" : m.group(2);
    switch (method + " " + action) {
      case "GET " -> {
        return new Answer(200, net);
      }
      case "DELETE " -> {
        String name = net.path("Name").asText();
        if (PREDEFINED.contains(name)) throw new EngineException(403, name + " is a pre-defined network and cannot be removed");
        byId.remove(net.path("Id").asText());
        return new Answer(204, null);
      }
      case "POST connect" -> {
        JsonNode req = read(body);
        ObjectNode endpoint = ((ObjectNode) net.path("Containers")).putObject(req.path("Container").asText());
        endpoint.put("Name", req.path("Container").asText());
        endpoint.set("Aliases", req.path("EndpointConfig").path("Aliases"));
        return new Answer(200, null);
      }
      case "POST disconnect" -> {
        ((ObjectNode) net.path("Containers")).remove(read(body).path("Container").asText());
        return new Answer(200, null);
      }
      default -> throw new EngineException(405, "method " + method + " not allowed on " + path);
    }
  }

  /** True when a network of that name or id is here (a create that joins one that is not fails as the engine's does). */
  public boolean has(String ref) {
    try {
      find(ref);
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  /** A container's {@code NetworkSettings.Networks}: the networks it was connected to, by name, with its aliases. */
  public ObjectNode attached(String containerId) {
    ObjectNode out = JSON.createObjectNode();
    synchronized (byId) {
      for (ObjectNode n : byId.values()) {
        JsonNode endpoint = n.path("Containers").path(containerId);
        if (endpoint.isMissingNode()) continue;
        out.putObject(n.path("Name").asText()).put("NetworkID", n.path("Id").asText()).set("Aliases", endpoint.path("Aliases"));
      }
    }
    return out;
  }

  private Answer create(JsonNode req) {
    String name = req.path("Name").asText("");
    if (name.isEmpty()) throw new EngineException(400, "network name is required");
    if (req.path("CheckDuplicate").asBoolean(false) && has(name)) {
      throw new EngineException(409, "network with name " + name + " already exists");
    }
    String driver = req.path("Driver").asText("");
    ObjectNode labels = req.path("Labels").isObject() ? (ObjectNode) req.path("Labels") : JSON.createObjectNode();
    ObjectNode net = make(name, driver.isEmpty() ? "bridge" : driver, labels);
    return new Answer(201, Map.of("Id", net.path("Id").asText(), "Warning", ""));
  }

  /** Removes every network of its own with no container attached. */
  private Answer prune() {
    ArrayNode deleted = JSON.createArrayNode();
    synchronized (byId) {
      byId.values().removeIf(n -> {
        boolean unused = !PREDEFINED.contains(n.path("Name").asText()) && n.path("Containers").isEmpty();
        if (unused) deleted.add(n.path("Name").asText());
        return unused;
      });
    }
    return new Answer(200, Map.of("NetworksDeleted", deleted));
  }

  private ObjectNode make(String name, String driver, ObjectNode labels) {
    String id = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    ObjectNode net = JSON.createObjectNode().put("Name", name).put("Id", id).put("Scope", "local").put("Driver", driver);
    net.putObject("Containers");
    net.putObject("Options");
    net.set("Labels", labels);
    byId.put(id, net);
    return net;
  }

  private ObjectNode find(String ref) {
    List<ObjectNode> all;
    synchronized (byId) {
      all = List.copyOf(byId.values());
    }
    for (ObjectNode n : all) if (n.path("Id").asText().equals(ref) || n.path("Name").asText().equals(ref)) return n;
    for (ObjectNode n : all) if (n.path("Id").asText().startsWith(ref)) return n;
    throw new EngineException(404, "network " + ref + " not found");
  }

  private static JsonNode read(byte[] body) {
    try {
      JsonNode j = JSON.readTree(body);
      if (j != null && j.isObject()) return j;
    } catch (IOException e) {
      // refused below
    }
    throw new EngineException(400, "the request body must be a JSON object");
  }
}
