package io.berth.manager.registry;

import io.berth.core.error.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of a registry token's {@code access} claim, and one {@code scope} a client asks for:
 * {@code repository:team/app:pull,push} or {@code registry:catalog:*}. The name is everything
 * between the first and the last colon; a type may carry a class ({@code repository(plugin)}),
 * which is dropped as distribution drops it.
 */
public record Scope(String type, String name, Set<String> actions) {
  public static final String REPOSITORY = "repository";
  public static final String REGISTRY = "registry";
  /** Distribution's grammar for repository names: lower-case components joined by '/'. */
  private static final Pattern NAME = Pattern.compile(
      "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  public Scope {
    actions = Set.copyOf(new LinkedHashSet<>(actions));
  }

  /** A repository scope with these actions. */
  public static Scope repository(String name, String... actions) {
    return new Scope(REPOSITORY, name, new LinkedHashSet<>(List.of(actions)));
  }

  /** True when {@code name} is a repository name the registry accepts (it cannot reach other paths of its API). */
  public static boolean isRepositoryName(String name) {
    return name.length() <= 255 && NAME.matcher(name).matches();
  }

  /** Parses one scope; a malformed one is a 400 quoting it. */
  public static Scope parse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last == first || last == text.length() - 1) {
      throw new BerthException.Invalid("InvalidScope", "scope must look like repository:NAME:ACTIONS (e.g. repository:team/app:pull,push): '"
          + text + "'");
    }
    String type = text.substring(0, first);
    int paren = type.indexOf('(');
    if (paren > 0) type = type.substring(0, paren);
    Set<String> actions = new LinkedHashSet<>();
    for (String a : text.substring(last + 1).split(",")) if (!a.isBlank()) actions.add(a.trim());
    return new Scope(type, text.substring(first + 1, last), actions);
  }

  /** Every scope in the space-separated {@code scope} parameters a client sent (dockerd may send several). */
  public static List<Scope> parseAll(List<String> params) {
    List<Scope> out = new ArrayList<>();
    for (String p : params) for (String s : p.trim().split(" +")) if (!s.isEmpty()) out.add(parse(s));
    return out;
  }

  /** The scope as clients write it, actions sorted. */
  @Override
  public String toString() {
    return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
  }
}
