package io.berth.core.scheduler;

import java.util.Optional;

/** Turns away nodes where a requested host port is taken (by a container there or placed this pass). */
final class PortFilter implements NodeFilter {
  @Override
  public String name() {
    return "port";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    for (PlacementRequest.HostPort want : r.ports()) {
      if (want.port() == 0) continue; // "any free port" never clashes
      if (c.portInUse(want)) return NodeFilter.veto("port " + want.port() + "/" + want.protocol() + " in use");
    }
    return Optional.empty();
  }
}
