package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The cluster's networks as classic Swarm showed them: every network is local to the node whose engine holds it,
 * and is named {@code NODE/NAME}, while its id stays the engine's. A lookup takes the full id, {@code NODE/NAME}, a
 * plain {@code NAME} held by one node only, or a unique id prefix. Built from each node's {@code /networks}
 * listing; one instance answers one request.
 */
final class Networks {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  /** The engine's own networks: {@code docker network ls} calls them builtin, every node has them. */
  static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");
  /** The filters applied here, to the {@code NODE/NAME} names; any other ({@code dangling}) is left to the engines. */
  static final Set<String> FILTERS = Set.of("name", "id", "driver", "label", "type", "scope");

  /** One network on its node: the engine's listing entry, the engine's name and id. */
  record Network(Node node, JsonNode json) {
    String id() {
      return json.path("Id").asText();
    }

    /** The name the node's engine knows it by. */
    String name() {
      return json.path("Name").asText();
    }

    /** The name the endpoint shows: {@code NODE/NAME}. */
    String shown() {
      return node.name().value() + "/" + name();
    }

    /** The engine's entry with its name shown as {@code NODE/NAME}. */
    ObjectNode listing() {
      ObjectNode copy = json.deepCopy();
      copy.put("Name", shown());
      return copy;
    }
  }

  private final List<Network> all;
  /** Asked when a lookup misses (null: nobody): the nodes themselves, for a network made behind the cache's back. */
  private final Supplier<Networks> fresh;

  private Networks(List<Network> all, Supplier<Networks> fresh) {
    this.all = all;
    this.fresh = fresh;
  }

  /** The networks of each node's {@code /networks} answer (engine names), in node order. */
  static Networks of(Map<Node, JsonNode> listings) {
    List<Network> all = new ArrayList<>();
    listings.forEach((node, list) -> list.forEach(n -> all.add(new Network(node, n))));
    return new Networks(all, null);
  }

  /** These networks, and {@code fresh} asked when a lookup finds none of them. */
  Networks orAsk(Supplier<Networks> fresh) {
    return new Networks(all, fresh);
  }

  /** The network {@code ref} names, or a 404 in the engine's words; a plain name on several nodes is ambiguous (400). */
  Network find(String ref) {
    try {
      return findHere(ref);
    } catch (BerthException.NotFound e) {
      if (fresh == null) throw e;
      return fresh.get().find(ref);
    }
  }

  private Network findHere(String ref) {
    List<Network> byName = new ArrayList<>();
    List<Network> byPrefix = new ArrayList<>();
    for (Network n : all) {
      if (n.id().equals(ref) || n.shown().equals(ref)) return n;
      if (n.name().equals(ref)) byName.add(n);
      else if (!ref.isEmpty() && n.id().startsWith(ref)) byPrefix.add(n);
    }
    if (byName.size() == 1) return byName.get(0);
    if (byName.size() > 1) {
      throw new BerthException.Invalid("network " + ref + " is ambiguous: it is on several nodes (" + shownNames(byName)
          + "); name it as NODE/NAME");
    }
    if (byPrefix.size() == 1) return byPrefix.get(0);
    if (byPrefix.size() > 1) {
      throw new BerthException.Invalid("network " + ref + " is ambiguous (" + byPrefix.size() + " matches found based on ID prefix: "
          + shownNames(byPrefix) + ")");
    }
    throw notFound(ref);
  }

  /** The networks engines know by {@code name}, one per node at most (unless an engine holds duplicates). */
  List<Network> named(String name) {
    return all.stream().filter(n -> n.name().equals(name)).toList();
  }

  /** The networks whose label {@code key} is {@code value}. */
  List<Network> labelled(String key, String value) {
    return all.stream().filter(n -> n.json().path("Labels").path(key).asText("\0").equals(value)).toList();
  }

  static BerthException.NotFound notFound(String ref) {
    return new BerthException.NotFound("NotFound", "network " + ref + " not found");
  }

  /** {@code GET /networks}: every network as {@code NODE/NAME}, those {@code wanted} keeps ({@link #FILTERS} only). */
  ArrayNode listing(Map<String, List<String>> wanted) {
    ArrayNode out = JSON.createArrayNode();
    for (Network n : all) if (matches(n, wanted)) out.add(n.listing());
    return out;
  }

  /** {@code {"label":{"a=b":true}}} or the older {@code {"label":["a=b"]}}, every key kept; a malformed one is a 400. */
  static Map<String, List<String>> parseFilters(String json) {
    if (json == null || json.isBlank()) return Map.of();
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new BerthException.Invalid("invalid filters: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) throw new BerthException.Invalid("invalid filters: expected a JSON object");
    Map<String, List<String>> out = new HashMap<>();
    for (var it = root.fields(); it.hasNext(); ) {
      var f = it.next();
      List<String> values = new ArrayList<>();
      if (f.getValue().isArray()) f.getValue().forEach(v -> values.add(v.asText()));
      else if (f.getValue().isObject()) f.getValue().fieldNames().forEachRemaining(values::add);
      else throw new BerthException.Invalid("invalid filters: the values of '" + f.getKey() + "' must be a list or an object");
      out.put(f.getKey(), values);
    }
    for (String t : out.getOrDefault("type", List.of())) {
      if (!t.equals("custom") && !t.equals("builtin")) throw new BerthException.Invalid("invalid filter: 'type'='" + t + "'");
    }
    return out;
  }

  /** As the engine filters: name and id are patterns found anywhere, driver and scope exact, every label present. */
  private static boolean matches(Network n, Map<String, List<String>> f) {
    JsonNode j = n.json();
    if (!any(f.get("name"), p -> ClusterPs.find(p, n.shown()) || ClusterPs.find(p, n.name()))) return false;
    if (!any(f.get("id"), p -> ClusterPs.find(p, n.id()))) return false;
    if (!any(f.get("driver"), d -> d.equals(j.path("Driver").asText()))) return false;
    if (!any(f.get("scope"), s -> s.equals(j.path("Scope").asText()))) return false;
    boolean builtin = PREDEFINED.contains(n.name());
    if (!any(f.get("type"), t -> t.equals(builtin ? "builtin" : "custom"))) return false;
    JsonNode labels = j.path("Labels");
    for (String t : f.getOrDefault("label", List.of())) {
      int eq = t.indexOf('=');
      if (eq < 0 ? !labels.has(t) : !labels.path(t.substring(0, eq)).asText("\0").equals(t.substring(eq + 1))) return false;
    }
    return true;
  }

  /** True when there is no such filter, or one of its values accepts. */
  private static boolean any(List<String> values, Predicate<String> accepts) {
    return values == null || values.stream().anyMatch(accepts);
  }

  private static String shownNames(List<Network> networks) {
    return String.join(", ", networks.stream().map(Network::shown).toList());
  }
}
