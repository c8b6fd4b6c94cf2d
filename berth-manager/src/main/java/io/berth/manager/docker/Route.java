package io.berth.manager.docker;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the Docker endpoint: the methods it takes, the paths it matches (without the
 * {@code /v1.NN} prefix), its kind, and the handler that returns its {@link Reply}.
 */
record Route(Set<String> methods, Path path, Kind kind, Handler handler) {
  /** How a route answers, as docs/architecture.md names them. */
  enum Kind {
    /** From the manager alone. */
    ANSWERED,
    /** Fanned out to every ready node (or read from the fleet's cache) and merged. */
    AGGREGATED,
    /** On the node the scheduler picks. */
    SCHEDULED,
    /** Forwarded to the node that holds the container, image or exec, its answer relayed. */
    PROXIED,
    /** A clear 501 naming the route. */
    UNSUPPORTED
  }

  /** The parts of a matched path (a container reference, an image name…) in order; null when the path is not this route's. */
  @FunctionalInterface
  interface Path {
    String[] match(String path);
  }

  /** Decodes and translates one request and returns what to answer. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Exchange ex, String[] parts) throws IOException;
  }

  /** A route for {@code methods} (space separated, {@code *} for any) on paths {@code path} matches. */
  static Route of(String methods, Path path, Kind kind, Handler handler) {
    return new Route(methods.equals("*") ? Set.of() : Set.of(methods.split(" ")), path, kind, handler);
  }

  /** A route on one exact path. */
  static Route exact(String methods, String path, Kind kind, Handler handler) {
    return of(methods, p -> p.equals(path) ? new String[0] : null, kind, handler);
  }

  /** A route on the paths a regular expression matches whole; its groups are the parts. */
  static Route regex(String methods, String regex, Kind kind, Handler handler) {
    Pattern pattern = Pattern.compile(regex);
    return of(methods, p -> {
      Matcher m = pattern.matcher(p);
      if (!m.matches()) return null;
      String[] parts = new String[m.groupCount()];
      for (int i = 0; i < parts.length; i++) parts[i] = m.group(i + 1);
      return parts;
    }, kind, handler);
  }

  /** The parts of {@code METHOD path} when it is this route's, else null. */
  String[] match(String method, String p) {
    return methods.isEmpty() || methods.contains(method) ? path.match(p) : null;
  }
}
