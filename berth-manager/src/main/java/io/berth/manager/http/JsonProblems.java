package io.berth.manager.http;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.berth.core.lrp.Problems;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Jackson's complaints about a request body in the user's words, at the field's JSON path: what
 * was expected and what came, or the nearest known field for a typo — never a Java type's name,
 * which Jackson's own messages carry.
 */
public final class JsonProblems {
  private JsonProblems() {}

  /**
   * Records Jackson's complaint {@code e} about {@code tree} at the JSON path {@code at}; with {@code echo} the message
   * shows the value that came ("got …"), which a body that may carry a secret (a password) must not.
   */
  public static void add(Problems p, JsonMappingException e, JsonNode tree, String at, boolean echo) {
    if (e instanceof UnrecognizedPropertyException u) {
      String parent = at.equals(u.getPropertyName()) ? ""
          : at.substring(0, Math.max(0, at.length() - u.getPropertyName().length() - 1));
      String hint = closest(u.getPropertyName(), u.getKnownPropertyIds());
      p.add(parent, "unknown field '" + u.getPropertyName() + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
      return;
    }
    String got = echo ? ", got " + show(at(tree, at)) : "";
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      p.add(at, "expected " + expected(m.getTargetType()) + got);
    } else if (e.getCause() instanceof InputCoercionException) {
      p.add(at, "expected a number that fits" + got);
    } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException rule) {
      p.add(at, rule.getMessage()); // a record's own check: its message is written for users
    } else {
      p.add(at, "not a valid value" + got);
    }
  }

  /** The JSON path of Jackson's references: {@code routes.cf-router[0].port}. */
  public static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) s.append('.').append(r.getFieldName());
      else if (r.getIndex() >= 0) s.append('[').append(r.getIndex()).append(']');
    }
    return s.isEmpty() || s.charAt(0) != '.' ? s.toString() : s.substring(1);
  }

  /** The node at a path {@link #path} wrote, or a missing node. */
  public static JsonNode at(JsonNode tree, String path) {
    JsonNode n = tree;
    for (String step : path.split("\\.")) {
      if (step.isEmpty()) continue;
      int bracket = step.indexOf('[');
      n = n.path(bracket < 0 ? step : step.substring(0, bracket));
      while (bracket >= 0) {
        int close = step.indexOf(']', bracket);
        n = n.path(Integer.parseInt(step.substring(bracket + 1, close)));
        bracket = step.indexOf('[', close);
      }
    }
    return n;
  }

  /** What a value of {@code type} looks like in JSON, in words. */
  public static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (type.isEnum()) return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList());
    if (Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
    return "an object";
  }

  /** A value as JSON for "got …", cut short when long. */
  public static String show(JsonNode n) {
    if (n == null || n.isMissingNode()) return "something else";
    String s = n.toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** A known field within two edits of the unknown one, to suggest. */
  static String closest(String name, Collection<Object> known) {
    String best = null;
    int bestDistance = 3;
    for (Object o : known) {
      String k = String.valueOf(o);
      int d = distance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
