package io.berth.cluster.wire;

import java.util.List;

/**
 * A node asks to join: the join token, the name it wants, its public key (PEM) and the hosts it
 * is reached at (its advertised address), which its certificate will name; and its Berth version
 * (null from agents older than the field), so a node too far from the managers is refused before
 * it gets a certificate.
 */
public record JoinRequest(String token, String name, String publicKey, List<String> hosts, String version) {
  public JoinRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** A request that states no version. */
  public JoinRequest(String token, String name, String publicKey, List<String> hosts) {
    this(token, name, publicKey, hosts, null);
  }
}
