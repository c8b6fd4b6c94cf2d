package io.berth.cluster.wire;

import java.time.Instant;
import java.util.List;

/**
 * What a router says of itself ({@code POST /v1/routers/{id}}, every few seconds and after each
 * change): the revision of the route table its nginx serves, whether the newest table it got
 * passed {@code nginx -t} ({@code error} says why not; it then keeps serving the last good one),
 * and the instance guids its live config sends traffic to — so the manager stops an instance only
 * once no router still sends it requests; and the router's Berth version (null from routers older
 * than the field).
 */
public record RouterStatus(String id, String group, String listen, long appliedRevision, boolean configOk,
                           String error, List<String> instances, Instant updatedAt, String version) {
  public RouterStatus {
    error = error == null ? "" : error;
    instances = instances == null ? List.of() : List.copyOf(instances);
  }

  /** A status that states no version. */
  public RouterStatus(String id, String group, String listen, long appliedRevision, boolean configOk,
                      String error, List<String> instances, Instant updatedAt) {
    this(id, group, listen, appliedRevision, configOk, error, instances, updatedAt, null);
  }
}
