package io.berth.manager.docker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How Docker paths name containers, execs and images: for the container routes, and for the audit's names of calls. */
final class DockerPaths {
  /** {@code /containers/REF[/ACTION]}; REF may be {@code NODE/NAME}, which the CLI sends unescaped. */
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/]+(?:/[^/]+)?)$");
  private static final Set<String> ACTIONS = Set.of("json", "start", "stop", "restart", "kill", "wait", "logs", "attach", "top",
      "resize", "pause", "unpause", "rename", "export", "changes", "stats", "archive", "exec", "update");
  /** The references that are the container collection's own routes, not a container's. */
  private static final Set<String> COLLECTION = Set.of("json", "create", "prune");
  static final String EXEC = "^/exec/([^/]+)/(start|resize|json)$";
  private static final Pattern EXEC_PATTERN = Pattern.compile(EXEC);
  private static final Pattern IMAGE = Pattern.compile("^/images/(.+)$");

  private DockerPaths() {}

  /** A container route's parts: the reference as written (NODE/NAME unescaped) and {@code /action} (or ""); null for other paths. */
  static String[] container(String path) {
    Matcher c = CONTAINER.matcher(path.replaceFirst("^(/containers/[^/]+/[^/]+)/([a-z]+)$", "$1|$2"));
    if (!c.matches()) return null;
    String[] refAndAction = splitAction(c.group(1));
    return COLLECTION.contains(refAndAction[0]) ? null : new String[] {decode(refAndAction[0]), refAndAction[1]};
  }

  /** The paths of a container route on one action ({@code /json}, {@code /exec}…), or on any when {@code action} is null. */
  static Route.Path onContainer(String action) {
    return path -> {
      String[] parts = container(path);
      return parts != null && (action == null || parts[1].equals(action)) ? parts : null;
    };
  }

  /** A path as the audit names the action: a container's or exec's reference replaced by a placeholder (it is the target). */
  static String auditPath(String path) {
    Matcher c = CONTAINER.matcher(path.replaceFirst("^(/containers/[^/]+/[^/]+)/([a-z]+)$", "$1|$2"));
    if (c.matches()) {
      String[] ra = splitAction(c.group(1));
      if (!COLLECTION.contains(ra[0])) return "/containers/{name}" + ra[1];
    }
    Matcher e = EXEC_PATTERN.matcher(path);
    if (e.matches()) return "/exec/{id}/" + e.group(2);
    return path;
  }

  /** What a mutating call acts on, for the audit: the container, exec, image or name it names, or "". */
  static String auditTarget(Exchange ex) {
    String path = ex.path();
    String[] container = container(path);
    if (container != null) return container[0];
    Matcher e = EXEC_PATTERN.matcher(path);
    if (e.matches()) return e.group(1);
    for (String q : List.of("name", "container", "fromImage", "t", "tag")) {
      String v = ex.queryParam(q);
      if (v != null && !v.isEmpty()) return v;
    }
    Matcher im = IMAGE.matcher(path);
    return im.matches() ? decode(im.group(1)) : "";
  }

  /** Splits {@code REF[/ACTION]} or {@code NODE/NAME|ACTION} into the container reference and {@code /action} (or ""). */
  private static String[] splitAction(String rest) {
    int bar = rest.indexOf('|');
    if (bar >= 0) return new String[] {rest.substring(0, bar), "/" + rest.substring(bar + 1)};
    int slash = rest.indexOf('/');
    if (slash >= 0 && ACTIONS.contains(rest.substring(slash + 1))) return new String[] {rest.substring(0, slash), rest.substring(slash)};
    return new String[] {rest, ""}; // a bare REF (DELETE), or NODE/NAME with no action
  }

  static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
