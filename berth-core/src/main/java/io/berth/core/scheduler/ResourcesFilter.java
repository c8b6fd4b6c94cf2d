package io.berth.core.scheduler;

import java.util.Locale;
import java.util.Optional;

/** Turns away nodes without the memory or CPUs a request reserves, counting this pass's placements. */
final class ResourcesFilter implements NodeFilter {
  @Override
  public String name() {
    return "resources";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    if (r.memoryBytes() > 0 && c.reservedMemory() + r.memoryBytes() > c.view.memoryBytes()) {
      return NodeFilter.veto("not enough memory (" + mib(c.view.memoryBytes() - c.reservedMemory()) + " free, " + mib(r.memoryBytes()) + " asked)");
    }
    if (r.cpus() > 0 && c.reservedCpus() + r.cpus() > c.view.cpus() + 1e-9) {
      return NodeFilter.veto("not enough CPUs (" + fmt(c.view.cpus() - c.reservedCpus()) + " free, " + fmt(r.cpus()) + " asked)");
    }
    return Optional.empty();
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  private static String fmt(double cpus) {
    return cpus == Math.floor(cpus) ? String.valueOf((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus);
  }
}
