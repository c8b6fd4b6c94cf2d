package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ContainerCache;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code docker ps} filters only the cluster can apply, taken out of the query: {@code node} (Swarm's:
 * a node's name, matched as a search like {@code name}, or its id) and {@code before}/{@code since}, whose
 * container is on one node but which order the containers of all. What is left ({@code query}) is asked of
 * each chosen node, or of the cache, and the answers merged.
 */
record ClusterPs(List<String> nodes, String before, String since, String query) {
  private static final ObjectMapper JSON = DockerJson.MAPPER;

  /** Splits a {@code /containers/json} query; a {@code filters} value that is not a JSON object is left for the engines to refuse. */
  static ClusterPs parse(String query) {
    List<String> rest = new ArrayList<>();
    List<String> nodes = List.of();
    String before = null;
    String since = null;
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0 || !pair.substring(0, eq).equals("filters")) {
        rest.add(pair);
        continue;
      }
      ObjectNode filters;
      try {
        filters = JSON.readTree(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) instanceof ObjectNode o ? o : null;
      } catch (IOException e) {
        filters = null;
      }
      if (filters == null) {
        rest.add(pair);
        continue;
      }
      nodes = values(filters.remove("node"));
      before = last(values(filters.remove("before")));
      since = last(values(filters.remove("since")));
      if (!filters.isEmpty()) rest.add("filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8));
    }
    return new ClusterPs(nodes, before, since, String.join("&", rest));
  }

  /** True when {@code node} is one the query asks for (every node without a {@code node} filter). */
  boolean on(Node node) {
    return nodes.isEmpty() || nodes.stream().anyMatch(p -> p.equals(node.id()) || find(p, node.name().value()));
  }

  /** True when the query orders containers by another one's creation ({@code before}, {@code since}). */
  boolean ordered() {
    return before != null || since != null;
  }

  /**
   * Whether a container created at {@code createdNanos} (not the reference itself) is inside the
   * {@code before}/{@code since} window; the references are found among {@code all}, as the engine finds them.
   */
  Window window(Map<Node, List<ContainerCache.Entry>> all) {
    return new Window(before == null ? null : created(before, all), since == null ? null : created(since, all));
  }

  /** The creation times of the {@code before} and {@code since} containers, or null where none was asked. */
  record Window(ContainerCache.Entry before, ContainerCache.Entry since) {
    boolean admits(String id, long createdNanos) {
      if (before != null && (id.equals(before.id()) || createdNanos >= before.createdNanos())) return false;
      return since == null || (!id.equals(since.id()) && createdNanos > since.createdNanos());
    }
  }

  private static ContainerCache.Entry created(String ref, Map<Node, List<ContainerCache.Entry>> all) {
    List<ContainerCache.Entry> byPrefix = new ArrayList<>();
    for (var e : all.entrySet()) {
      for (ContainerCache.Entry c : e.getValue()) {
        String name = c.summary().path("Names").path(0).asText("").replaceFirst("^/", "");
        if (c.id().equals(ref) || name.equals(ref) || (e.getKey().name() + "/" + name).equals(ref)) return c;
        if (c.id().startsWith(ref)) byPrefix.add(c);
      }
    }
    if (byPrefix.size() == 1) return byPrefix.get(0);
    throw new BerthException.NotFound("NoSuchContainer", "No such container: " + ref);
  }

  private static List<String> values(JsonNode f) {
    List<String> out = new ArrayList<>();
    if (f == null) return out;
    if (f.isArray()) f.forEach(v -> out.add(v.asText()));
    else if (f.isObject()) f.fieldNames().forEachRemaining(out::add);
    else throw new BerthException.Invalid("invalid filter value: " + f);
    return out;
  }

  private static String last(List<String> values) {
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }

  /** Go's {@code regexp.MatchString}, as the engine matches {@code name}: a search, and no match when the pattern does not compile. */
  static boolean find(String pattern, String text) {
    try {
      return Pattern.compile(pattern).matcher(text).find();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
