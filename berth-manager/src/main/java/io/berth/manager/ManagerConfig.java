package io.berth.manager;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a manager runs.
 *
 * @param apiAddr the Berth API and console
 * @param clusterAddr where agents join and heartbeat, over mutual TLS
 * @param dataDir holds {@code admin.token} and {@code manager.json} for local clients
 * @param nodeTtl how long a node stays ready without a heartbeat
 * @param heartbeat how often agents are told to heartbeat
 */
public record ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, Path dataDir,
                            String storeUrl, Duration nodeTtl, Duration heartbeat) {
  public ManagerConfig {
    if (heartbeat.compareTo(nodeTtl) >= 0) {
      throw new IllegalArgumentException("--heartbeat (" + heartbeat.toMillis() + " ms) must be shorter than --node-ttl ("
          + nodeTtl.toMillis() + " ms)");
    }
  }
}
