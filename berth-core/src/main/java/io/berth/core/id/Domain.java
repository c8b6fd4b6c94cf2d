package io.berth.core.id;

import java.util.Objects;

/**
 * A Receptor domain: the set of LRPs one client owns, whose freshness lets convergence retire
 * instances nobody wants. Required on a request, which {@code LrpValidation} says by field name.
 */
public record Domain(String value) implements Comparable<Domain> {
  public Domain {
    Objects.requireNonNull(value, "domain");
  }

  @Override
  public int compareTo(Domain o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
