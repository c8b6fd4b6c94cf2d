package io.berth.cluster.wire;

import java.time.Instant;
import java.util.List;

/**
 * What a router says of itself ({@code POST /v1/routers/{id}}, every few seconds and after each
 * change): the revision of the route table its nginx serves, whether the newest table it got
 * passed {@code nginx -t} ({@code error} says why not; it then keeps serving the last good one),
 * and the instance guids its live config sends traffic to — so the manager stops an instance only
 * once no router still sends it requests.
 */
public record RouterStatus(String id, String group, String listen, long appliedRevision, boolean configOk,
                           String error, List<String> instances, Instant updatedAt) {
  public RouterStatus {
    error = error == null ? "" : error;
    instances = instances == null ? List.of() : List.copyOf(instances);
  }
}
