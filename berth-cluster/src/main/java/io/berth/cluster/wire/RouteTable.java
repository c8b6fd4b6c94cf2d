package io.berth.cluster.wire;

import java.util.List;

/**
 * What one router group serves: every domain with the healthy instances behind it, as of store
 * revision {@code revision}. The manager answers {@code GET /v1/routes?group=G&after=REV} with
 * it; each domain is also what the store holds at {@code /slb/{group}/domains/{domain}}.
 */
public record RouteTable(String group, long revision, List<Domain> domains) {
  public RouteTable {
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  /** One domain: the app that owns it and the instances traffic may reach, in a stable order. */
  public record Domain(String domain, String app, List<Upstream> upstreams) {
    public Domain {
      upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
    }
  }

  /** One healthy instance: where to send requests, and which instance it is. */
  public record Upstream(String address, int port, String processGuid, int index, String instanceGuid) {}
}
