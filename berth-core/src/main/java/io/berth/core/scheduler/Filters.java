package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every filter the scheduler knows, in the order they run; a new filter is one more line here. */
final class Filters {
  static final List<NodeFilter> ALL = List.of(
      new HealthFilter(),
      new ConstraintFilter(),
      new AffinityFilter(),
      new PortFilter(),
      new DependencyFilter(),
      new ContainerSlotsFilter(),
      new ResourcesFilter(),
      new ImageFilter());

  private static final Map<String, NodeFilter> BY_NAME = new LinkedHashMap<>();

  static {
    for (NodeFilter f : ALL) BY_NAME.put(f.name(), f);
  }

  private Filters() {}

  /** The names {@code berth manage --filter} takes, in the order the filters run. */
  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  static List<NodeFilter> named(List<String> names) {
    List<NodeFilter> out = new ArrayList<>();
    for (String n : names) {
      NodeFilter f = BY_NAME.get(n.trim());
      if (f == null) throw new IllegalArgumentException("unknown filter '" + n + "': choose from " + String.join(", ", BY_NAME.keySet()));
      out.add(f);
    }
    return out;
  }
}
