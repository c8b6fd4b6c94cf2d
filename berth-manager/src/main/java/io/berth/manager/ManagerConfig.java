package io.berth.manager;

import io.berth.core.scheduler.Strategy;
import io.berth.manager.registry.RegistryConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a manager runs. {@code strategy} and {@code filters} configure the scheduler of the Docker endpoint.
 *
 * @param apiAddr the Berth API and console
 * @param clusterAddr where agents join and heartbeat, over mutual TLS
 * @param dockerAddr the Docker-compatible endpoint, or null for none
 * @param dockerTls TLS for the Docker endpoint, or null for plain TCP
 * @param dataDir holds {@code admin.token} and {@code manager.json} for local clients
 * @param nodeTtl how long a node stays ready without a heartbeat
 * @param heartbeat how often agents are told to heartbeat
 * @param discovery engines without agents to manage directly ({@code nodes://…} or {@code file://…}), or null
 * @param registry the image registry the manager runs as a child (address and data dir), or null for none
 * @param metricsRetention how long the manager keeps containers' metrics (at the agents' interval)
 */
public record ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, InetSocketAddress dockerAddr,
                            Path dataDir, String storeUrl, Duration nodeTtl, Duration heartbeat,
                            Strategy strategy, List<String> filters, DockerTls dockerTls,
                            String discovery, RegistryConfig registry, Duration metricsRetention) {
  /** The default {@code --metrics-retention}: the hour the console's charts show. */
  public static final Duration METRICS_RETENTION = Duration.ofHours(1);

  /** With the default metrics retention. */
  public ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, InetSocketAddress dockerAddr,
                       Path dataDir, String storeUrl, Duration nodeTtl, Duration heartbeat,
                       Strategy strategy, List<String> filters, DockerTls dockerTls,
                       String discovery, RegistryConfig registry) {
    this(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery, registry,
        METRICS_RETENTION);
  }

  /** The same, keeping containers' metrics for {@code retention}. */
  public ManagerConfig withMetricsRetention(Duration retention) {
    return new ManagerConfig(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery,
        registry, retention);
  }

  /** Without a registry. */
  public ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, InetSocketAddress dockerAddr, Path dataDir, String storeUrl,
                       Duration nodeTtl, Duration heartbeat, Strategy strategy, List<String> filters,
                       DockerTls dockerTls, String discovery) {
    this(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery, null);
  }

  /** The same, running the image registry as {@code registry} says (null: none). */
  public ManagerConfig withRegistry(RegistryConfig registry) {
    return new ManagerConfig(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery,
        registry, metricsRetention);
  }

  /**
   * The Docker endpoint's TLS files, as dockerd takes them; {@code ca} null serves TLS without asking clients for certificates.
   * With {@code bundles} ({@code --docker-tls}) the endpoint serves a certificate from the cluster CA instead (cert and key
   * null), and requires client certificates: bundles, and {@code ca}'s (administrators) when given.
   */
  public record DockerTls(Path cert, Path key, Path ca, boolean bundles) {
    public DockerTls(Path cert, Path key, Path ca) {
      this(cert, key, ca, false);
    }

    /** {@code --docker-tls}, trusting also {@code operatorCa}'s client certificates (may be null). */
    public static DockerTls bundles(Path operatorCa) {
      return new DockerTls(null, null, operatorCa, true);
    }
  }

  /** How often convergence makes a whole pass even when nothing signalled it (architecture: 5 s). */
  public Duration convergeInterval() {
    return Duration.ofSeconds(5);
  }

  public ManagerConfig {
    filters = List.copyOf(filters);
    if (metricsRetention == null) metricsRetention = METRICS_RETENTION;
    if (metricsRetention.compareTo(Duration.ofMinutes(1)) < 0 || metricsRetention.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("--metrics-retention must be from 1m to 24h, got " + metricsRetention.toSeconds() + " s");
    }
    if (heartbeat.compareTo(nodeTtl) >= 0) {
      throw new IllegalArgumentException("--heartbeat (" + heartbeat.toMillis() + " ms) must be shorter than --node-ttl ("
          + nodeTtl.toMillis() + " ms)");
    }
  }
}
