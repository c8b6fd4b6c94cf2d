package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads classic Swarm's scheduling syntax from a container's create request: {@code -e
 * constraint:KEY==VALUE} and {@code -e affinity:KEY==VALUE} in its environment, or the labels
 * {@code com.docker.swarm.constraints} / {@code com.docker.swarm.affinities} (JSON arrays of the
 * same expressions). The expressions leave the environment and are kept in those two labels, as
 * Swarm kept them.
 */
public final class SwarmSyntax {
  public static final String CONSTRAINTS_LABEL = "com.docker.swarm.constraints";
  public static final String AFFINITIES_LABEL = "com.docker.swarm.affinities";

  private SwarmSyntax() {}

  /** What was read: the expressions, the environment without them, and the labels to set. */
  public record Parsed(List<Expr> constraints, List<Expr> affinities, List<String> env, Map<String, String> labels) {}

  /** Parses; a malformed expression or label is an {@link IllegalArgumentException} that names it. */
  public static Parsed parse(List<String> env, Map<String, String> labels) {
    List<Expr> constraints = new ArrayList<>();
    List<Expr> affinities = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String e : env) {
      if (e.startsWith("constraint:")) {
        constraints.add(Expr.parse("constraint", e.substring("constraint:".length())));
      } else if (e.startsWith("affinity:")) {
        affinities.add(Expr.parse("affinity", e.substring("affinity:".length())));
      } else {
        rest.add(e);
      }
    }
    for (String s : jsonStrings(CONSTRAINTS_LABEL, labels.get(CONSTRAINTS_LABEL))) constraints.add(Expr.parse("constraint", s));
    for (String s : jsonStrings(AFFINITIES_LABEL, labels.get(AFFINITIES_LABEL))) affinities.add(Expr.parse("affinity", s));
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.remove(CONSTRAINTS_LABEL);
    out.remove(AFFINITIES_LABEL);
    if (!constraints.isEmpty()) out.put(CONSTRAINTS_LABEL, jsonArray(constraints));
    if (!affinities.isEmpty()) out.put(AFFINITIES_LABEL, jsonArray(affinities));
    return new Parsed(constraints, affinities, rest, out);
  }

  /** Reads a JSON array of strings strictly (core has no JSON library; these arrays are tiny). */
  static List<String> jsonStrings(String label, String json) {
    List<String> out = new ArrayList<>();
    if (json == null) return out;
    String s = json.trim();
    String bad = "label " + label + " must be a JSON array of strings, e.g. [\"node==node1\"], not " + json;
    if (!s.startsWith("[") || !s.endsWith("]")) throw new IllegalArgumentException(bad);
    int i = 1;
    int end = s.length() - 1;
    while (true) {
      while (i < end && Character.isWhitespace(s.charAt(i))) i++;
      if (i == end) return out;
      if (s.charAt(i) != '"') throw new IllegalArgumentException(bad);
      StringBuilder v = new StringBuilder();
      i++;
      while (i < end && s.charAt(i) != '"') {
        char c = s.charAt(i++);
        if (c == '\\' && i < end) c = s.charAt(i++);
        v.append(c);
      }
      if (i >= end) throw new IllegalArgumentException(bad);
      out.add(v.toString());
      i++;
      while (i < end && Character.isWhitespace(s.charAt(i))) i++;
      if (i < end && s.charAt(i) == ',') {
        i++;
      } else if (i != end) {
        throw new IllegalArgumentException(bad);
      }
    }
  }

  private static String jsonArray(List<Expr> exprs) {
    List<String> quoted = new ArrayList<>();
    for (Expr e : exprs) quoted.add("\"" + e.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    return "[" + String.join(",", quoted) + "]";
  }
}
