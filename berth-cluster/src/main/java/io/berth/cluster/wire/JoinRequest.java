package io.berth.cluster.wire;

import java.util.List;

/**
 * A node asks to join: the join token, the name it wants, its public key (PEM) and the hosts it
 * is reached at (its advertised address), which its certificate will name.
 */
public record JoinRequest(String token, String name, String publicKey, List<String> hosts) {
  public JoinRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }
}
