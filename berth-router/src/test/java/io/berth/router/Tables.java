package io.berth.router;

import io.berth.cluster.wire.RouteTable;
import java.util.List;

/** Route tables for tests, written short. */
final class Tables {
  private Tables() {}

  static RouteTable table(long revision, RouteTable.Domain... domains) {
    return new RouteTable("default", revision, List.of(domains));
  }

  static RouteTable.Domain domain(String name, String app, RouteTable.Upstream... upstreams) {
    return new RouteTable.Domain(name, app, List.of(upstreams));
  }

  /** An instance of {@code app-v1} whose instance guid is {@code guid}. */
  static RouteTable.Upstream upstream(String address, int port, String guid) {
    return new RouteTable.Upstream(address, port, "app-v1", 0, guid);
  }
}
