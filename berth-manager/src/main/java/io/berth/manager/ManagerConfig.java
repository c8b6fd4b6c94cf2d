package io.berth.manager;

import io.berth.core.node.NodeNames;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.leader.Leadership;
import io.berth.manager.notify.NotifyConfig;
import io.berth.manager.registry.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * @param name this manager's name, unique in the cluster ({@code --name}; null: the host name)
 * @param leaderTtl the leader's lease ({@code --leader-ttl}): a new leader within it after the leader dies
 * @param receptor the Receptor API's Basic credentials and CORS ({@code --receptor-user}, {@code --cors}); null: neither
 * @param notifications where alert notifications go out ({@code --smtp}, {@code --smtp-from}, {@code --alert-repeat}); null: webhooks only
 */
public record ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, InetSocketAddress dockerAddr,
                            Path dataDir, String storeUrl, Duration nodeTtl, Duration heartbeat,
                            Strategy strategy, List<String> filters, DockerTls dockerTls,
                            String discovery, RegistryConfig registry, Duration metricsRetention,
                            String name, Duration leaderTtl, Receptor receptor, NotifyConfig notifications) {
  /** The default {@code --metrics-retention}: the hour the console's charts show. */
  public static final Duration METRICS_RETENTION = Duration.ofHours(1);
  /** The default {@code --leader-ttl}. */
  public static final Duration LEADER_TTL = Duration.ofSeconds(5);

  /** With the default name and leader TTL. */
  public ManagerConfig(InetSocketAddress apiAddr, InetSocketAddress clusterAddr, InetSocketAddress dockerAddr,
                       Path dataDir, String storeUrl, Duration nodeTtl, Duration heartbeat,
                       Strategy strategy, List<String> filters, DockerTls dockerTls,
                       String discovery, RegistryConfig registry, Duration metricsRetention) {
    this(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery, registry,
        metricsRetention, null, LEADER_TTL, null, null);
  }

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
        registry, retention, name, leaderTtl, receptor, notifications);
  }

  /** The same, this manager named {@code name} ({@code --name}) with a leader lease of {@code ttl} ({@code --leader-ttl}). */
  public ManagerConfig withLeadership(String name, Duration ttl) {
    return new ManagerConfig(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery,
        registry, metricsRetention, name, ttl, receptor, notifications);
  }

  /** The same, with the Receptor API's Basic credentials and CORS ({@code --receptor-user}, {@code --cors}). */
  public ManagerConfig withReceptor(Receptor r) {
    return new ManagerConfig(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery,
        registry, metricsRetention, name, leaderTtl, r, notifications);
  }

  /** The same, alert notifications going out as {@code n} says ({@code --smtp}, {@code --smtp-from}, {@code --alert-repeat}). */
  public ManagerConfig withNotify(NotifyConfig n) {
    return new ManagerConfig(apiAddr, clusterAddr, dockerAddr, dataDir, storeUrl, nodeTtl, heartbeat, strategy, filters, dockerTls, discovery,
        registry, metricsRetention, name, leaderTtl, receptor, n);
  }

  /** True on an embedded store (SQLite): one manager, always the leader. */
  public boolean embeddedStore() {
    return storeUrl.startsWith("sqlite://");
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
        registry, metricsRetention, name, leaderTtl, receptor, notifications);
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

  /**
   * The Receptor API's own ways in, as Diego's receptor takes them: Basic credentials that sign in as
   * the Berth user {@code user} (null: none), and CORS for browsers. {@link #toString} hides the password.
   */
  public record Receptor(String user, String password, boolean cors) {
    public static final Receptor NONE = new Receptor(null, null, false);

    /**
     * {@code --receptor-user}, {@code --receptor-password-file} (read now: its first line, without the line end) and
     * {@code --cors}; a flag without the other, or a missing, unreadable or empty file, is refused with a sentence.
     */
    public static Receptor of(String user, Path passwordFile, boolean cors) {
      if (user == null && passwordFile == null) return new Receptor(null, null, cors);
      if (user == null || user.isBlank()) throw new IllegalArgumentException("--receptor-password-file needs --receptor-user: whose password it is");
      if (passwordFile == null) throw new IllegalArgumentException("--receptor-user needs --receptor-password-file: the file holding its password");
      String text;
      try {
        text = Files.readString(passwordFile);
      } catch (IOException | UncheckedIOException e) {
        throw new IllegalArgumentException("cannot read --receptor-password-file " + passwordFile + ": "
            + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
      }
      String password = text.lines().findFirst().orElse("");
      if (password.isEmpty()) throw new IllegalArgumentException("--receptor-password-file " + passwordFile + " is empty: put the password on its first line");
      return new Receptor(user.trim(), password, cors);
    }

    @Override
    public String toString() {
      return "Receptor[user=" + user + ", password=" + (password == null ? "none" : "***") + ", cors=" + cors + "]";
    }
  }

  /** How often convergence makes a whole pass even when nothing signalled it (architecture: 5 s). */
  public Duration convergeInterval() {
    return Duration.ofSeconds(5);
  }

  public ManagerConfig {
    filters = List.copyOf(filters);
    if (name == null) name = Announcements.hostName();
    try {
      NodeNames.check(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid manager name '" + name + "' (--name): use 1-63 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit");
    }
    if (leaderTtl == null) leaderTtl = LEADER_TTL;
    if (receptor == null) receptor = Receptor.NONE;
    if (notifications == null) notifications = NotifyConfig.NONE;
    Leadership.checkTtl(leaderTtl);
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
