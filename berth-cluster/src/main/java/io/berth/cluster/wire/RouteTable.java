package io.berth.cluster.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one router group serves: every domain with the healthy instances behind it, as of store
 * revision {@code revision}. The manager answers {@code GET /v1/routes?group=G&after=REV} with
 * it; each domain is also what the store holds at {@code /slb/{group}/domains/{domain}}.
 * {@code managers} are the API URLs of the managers a router may move to; they are not part of
 * what it serves, and are left out when empty, as they are unless the router asked for them (an older
 * router rejects a field it does not know). Unknown fields are ignored: a newer manager may say more
 * than this router knows.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteTable(String group, long revision, List<Domain> domains,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> managers) {
  public RouteTable {
    domains = domains == null ? List.of() : List.copyOf(domains);
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** A table naming no managers. */
  public RouteTable(String group, long revision, List<Domain> domains) {
    this(group, revision, domains, List.of());
  }

  /** The same table naming these managers. */
  public RouteTable withManagers(List<String> urls) {
    return new RouteTable(group, revision, domains, urls);
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
