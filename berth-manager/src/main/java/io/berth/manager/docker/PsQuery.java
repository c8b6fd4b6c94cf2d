package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ContainerCache;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code GET /containers/json} query that the container cache can answer: {@code all},
 * {@code limit} and the filters {@code name}, {@code label}, {@code status} and {@code id}, matched
 * as the engine matches them ({@code node}, {@code before} and {@code since} are taken out first, by
 * {@link ClusterPs}). Anything else ({@code size}, {@code ancestor}, {@code health}, a malformed or
 * unknown filter …) is not parsed here: the request then goes to the chosen nodes, and the engines
 * answer it — errors included — in their own words.
 */
record PsQuery(boolean all, int limit, Map<String, List<String>> filters) {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Set<String> KEYS = Set.of("name", "label", "status", "id");
  private static final Set<String> STATES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

  static Optional<PsQuery> parse(String query) {
    boolean all = false;
    int limit = -1;
    Map<String, List<String>> filters = Map.of();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      switch (key) {
        case "all" -> all = value.equals("1") || value.equalsIgnoreCase("true");
        case "size" -> {
          if (value.equals("1") || value.equalsIgnoreCase("true")) return Optional.empty();
        }
        case "limit" -> {
          try {
            limit = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        }
        case "filters" -> {
          Optional<Map<String, List<String>>> f = filters(value);
          if (f.isEmpty()) return Optional.empty();
          filters = f.get();
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    if (filters.containsKey("status")) {
      if (!STATES.containsAll(filters.get("status"))) return Optional.empty();
      all = true; // as the engine: asking for a status includes stopped containers
    }
    return Optional.of(new PsQuery(all || limit > 0, limit, filters));
  }

  /** {@code {"name":{"web":true}}} or the older {@code {"name":["web"]}}; empty when not one this class answers. */
  private static Optional<Map<String, List<String>>> filters(String json) {
    if (json.isBlank()) return Optional.of(Map.of());
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) return Optional.empty();
    Map<String, List<String>> out = new HashMap<>();
    var fields = root.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (!KEYS.contains(f.getKey())) return Optional.empty();
      List<String> values = new ArrayList<>();
      if (f.getValue().isArray()) f.getValue().forEach(v -> values.add(v.asText()));
      else if (f.getValue().isObject()) f.getValue().fieldNames().forEachRemaining(values::add);
      else return Optional.empty();
      out.put(f.getKey(), values);
    }
    return Optional.of(out);
  }

  /** True when the container passes the state rule ({@code all}) and every filter. */
  boolean matches(ContainerCache.Entry e) {
    String state = e.state();
    boolean up = state.equals("running") || state.equals("paused") || state.equals("restarting");
    if (!all && !up) return false;
    JsonNode c = e.summary();
    List<String> status = filters.get("status");
    if (status != null && !status.contains(state)) return false;
    List<String> ids = filters.get("id");
    if (ids != null && ids.stream().noneMatch(t -> find(t, c.path("Id").asText()))) return false;
    List<String> names = filters.get("name");
    if (names != null) {
      String name = c.path("Names").path(0).asText("");
      String bare = name.startsWith("/") ? name.substring(1) : name;
      if (names.stream().noneMatch(t -> find(t, name) || find(t, bare))) return false;
    }
    List<String> labels = filters.get("label");
    if (labels != null) {
      JsonNode have = c.path("Labels");
      for (String t : labels) {
        int eq = t.indexOf('=');
        if (eq < 0 ? !have.has(t) : !have.path(t.substring(0, eq)).asText("\0").equals(t.substring(eq + 1))) return false;
      }
    }
    return true;
  }

  private static boolean find(String pattern, String text) {
    return ClusterPs.find(pattern, text);
  }
}
