package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Swarm's filters, each a veto with a short reason, or null when the node may take the request.
 * Hard expressions only: soft ones are applied by the scheduler after all filters passed.
 */
final class Filters {
  /** The filters in the order they run, by the names {@code berth manage --filter} takes. */
  static final Map<String, NodeFilter> ALL = new LinkedHashMap<>();

  static {
    ALL.put("health", (r, c) -> c.view.ready() ? null : "node down");
    ALL.put("constraint", Filters::constraint);
    ALL.put("affinity", Filters::affinity);
    ALL.put("port", Filters::port);
    ALL.put("dependency", Filters::dependency);
    ALL.put("containerslots", Filters::containerSlots);
    ALL.put("resources", Filters::resources);
    ALL.put("image", (r, c) -> r.imageAvailable() || holdsImage(c, r.image()) ? null : "image " + r.image() + " not present");
  }

  private Filters() {}

  /** A veto, or null. */
  @FunctionalInterface
  interface NodeFilter {
    String veto(PlacementRequest r, Candidate c);
  }

  static List<NodeFilter> named(List<String> names) {
    List<NodeFilter> out = new ArrayList<>();
    for (String n : names) {
      NodeFilter f = ALL.get(n.trim());
      if (f == null) throw new IllegalArgumentException("unknown filter '" + n + "': choose from " + String.join(", ", ALL.keySet()));
      out.add(f);
    }
    return out;
  }

  static String constraint(PlacementRequest r, Candidate c) {
    for (Expr e : r.constraints()) {
      if (!e.soft() && !satisfiesConstraint(e, c)) return "constraint " + e + " not met";
    }
    return null;
  }

  static boolean satisfiesConstraint(Expr e, Candidate c) {
    if (e.key().equals("node")) return e.matchesAny(List.of(c.view.name(), c.view.id()));
    return e.matches(c.view.labels().get(e.key()));
  }

  static String affinity(PlacementRequest r, Candidate c) {
    for (Expr e : r.affinities()) {
      if (!e.soft() && !satisfiesAffinity(e, c)) return "affinity " + e + " not met";
    }
    return null;
  }

  static boolean satisfiesAffinity(Expr e, Candidate c) {
    return switch (e.key()) {
      case "container" -> e.plain() && e.equal() ? c.hasContainer(e.value()) : e.matchesAny(c.containerRefs());
      case "image" -> e.matchesAny(c.view.images());
      default -> e.matchesAny(c.labelValues(e.key()));
    };
  }

  static String port(PlacementRequest r, Candidate c) {
    for (PlacementRequest.HostPort want : r.ports()) {
      if (want.port() == 0) continue; // "any free port" never clashes
      if (c.portInUse(want)) return "port " + want.port() + "/" + want.protocol() + " in use";
    }
    return null;
  }

  static String dependency(PlacementRequest r, Candidate c) {
    for (String d : r.dependsOn()) {
      if (!c.hasContainer(d)) return "depends on " + d + ", which is not here";
    }
    return null;
  }

  static String containerSlots(PlacementRequest r, Candidate c) {
    String slots = c.view.labels().get("containerslots");
    if (slots == null) return null;
    try {
      int n = Integer.parseInt(slots.trim());
      return c.containers() >= n ? "all " + n + " container slots used" : null;
    } catch (NumberFormatException e) {
      return null; // a malformed label limits nothing, as in Swarm
    }
  }

  static String resources(PlacementRequest r, Candidate c) {
    if (r.memoryBytes() > 0 && c.reservedMemory() + r.memoryBytes() > c.view.memoryBytes()) {
      return "not enough memory (" + mib(c.view.memoryBytes() - c.reservedMemory()) + " free, " + mib(r.memoryBytes()) + " asked)";
    }
    if (r.cpus() > 0 && c.reservedCpus() + r.cpus() > c.view.cpus() + 1e-9) {
      return "not enough CPUs (" + fmt(c.view.cpus() - c.reservedCpus()) + " free, " + fmt(r.cpus()) + " asked)";
    }
    return null;
  }

  static boolean holdsImage(Candidate c, String image) {
    return c.view.images().contains(image) || (!image.contains(":") && c.view.images().contains(image + ":latest"));
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  private static String fmt(double cpus) {
    return cpus == Math.floor(cpus) ? String.valueOf((long) cpus) : String.format(java.util.Locale.ROOT, "%.2f", cpus);
  }
}
