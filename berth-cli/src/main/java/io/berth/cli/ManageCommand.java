package io.berth.cli;

import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.manager.backup.BackupSchedule;
import io.berth.manager.backup.ScheduledBackups;
import io.berth.manager.fleet.EngineDiscovery;
import io.berth.manager.registry.RegistryConfig;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth manage}: a manager on a store. */
@Command(name = "manage", mixinStandardHelpOptions = true,
    description = {"Run a manager: the node registry, the Berth API, and the cluster endpoint agents join.",
        "The only Berth process that opens the store."})
final class ManageCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "URL",
      description = "sqlite:///path/berth.db (one manager) or etcd://host:2379[,host:2379...] (several).")
  String store;

  @Option(names = "--api-addr", defaultValue = "0.0.0.0:8080", paramLabel = "HOST:PORT",
      description = "Berth API address (default: ${DEFAULT-VALUE}).")
  String apiAddr;

  @Option(names = "--cluster-addr", defaultValue = "0.0.0.0:2377", paramLabel = "HOST:PORT",
      description = "Where agents join and heartbeat over mutual TLS (default: ${DEFAULT-VALUE}).")
  String clusterAddr;

  @Option(names = "--docker-addr", defaultValue = "127.0.0.1:2375", paramLabel = "HOST:PORT",
      description = "The Docker-compatible endpoint: point DOCKER_HOST=tcp://HOST:PORT here (default: ${DEFAULT-VALUE}).")
  String dockerAddr;

  @Option(names = "--docker-tls", description = "Serve the Docker endpoint over TLS with a certificate from the cluster CA and require "
      + "client certificates: users' bundles ('berth bundle'), and --tlscacert's (administrators) if given.")
  boolean dockerTlsBundles;

  @Option(names = "--tlsverify", description = "Serve the Docker endpoint over TLS and require client certificates signed by --tlscacert.")
  boolean tlsVerify;

  @Option(names = "--tlscacert", paramLabel = "FILE", description = "CA that signs the Docker clients' certificates (with --tlsverify).")
  Path tlsCaCert;

  @Option(names = "--tlscert", paramLabel = "FILE", description = "The Docker endpoint's TLS certificate (PEM).")
  Path tlsCert;

  @Option(names = "--tlskey", paramLabel = "FILE", description = "The Docker endpoint's TLS key (PEM: PKCS#1, SEC1 or PKCS#8).")
  Path tlsKey;

  @Option(names = "--discovery", paramLabel = "URL",
      description = "Also manage engines that run no agent, reached directly over TCP (TLS with --tlscert/--tlskey/--tlscacert): "
          + "nodes://10.0.0.[1:3]:2375,HOST:PORT or file:///etc/berth/engines (one per line, read again every heartbeat).")
  String discovery;

  @Option(names = "--strategy", defaultValue = "spread", paramLabel = "NAME",
      description = "How docker run chooses among nodes that fit: spread, binpack or random (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--filter", paramLabel = "NAME", split = ",",
      description = "Scheduling filters to use, repeatable or comma-separated (default: all: health, constraint, affinity, port, dependency, containerslots, resources, image).")
  List<String> filters;

  @Option(names = "--registry-addr", paramLabel = "HOST:PORT",
      description = "Also run an image registry (Debian's docker-registry, token auth by Berth users) on this address, its images in DATA/registry.")
  String registryAddr;

  @Option(names = "--registry-storage", paramLabel = "DIR",
      description = "The registry's images in DIR instead of DATA/registry/data: a directory every manager shares (NFS), so an image pushed through one manager's registry is pulled through another's.")
  Path registryStorage;

  @Option(names = "--data", paramLabel = "DIR", description = "Data dir for admin.token and manager.json (default: $BERTH_DATA or ~/.berth).")
  Path data;

  @Option(names = "--name", paramLabel = "NAME",
      description = "This manager's name, unique in the cluster (default: the host name).")
  String name;

  @Option(names = "--leader-ttl", defaultValue = "5s", converter = Flags.DurationConverter.class, paramLabel = "DURATION",
      description = "The leader's lease: when the leader dies another manager leads within it (default: ${DEFAULT-VALUE}; 2s to 60s).")
  Duration leaderTtl;

  @Option(names = "--node-ttl", defaultValue = "10s", converter = Flags.DurationConverter.class, paramLabel = "DURATION",
      description = "A node without a heartbeat for this long is marked down (default: ${DEFAULT-VALUE}).")
  Duration nodeTtl;

  @Option(names = "--heartbeat", defaultValue = "3s", converter = Flags.DurationConverter.class, paramLabel = "DURATION",
      description = "How often agents heartbeat (default: ${DEFAULT-VALUE}).")
  Duration heartbeat;

  @Option(names = "--metrics-retention", defaultValue = "1h", paramLabel = "DURATION",
      description = "How long to keep containers' metrics, at the agents' interval (default: ${DEFAULT-VALUE}; 1m to 24h).")
  String metricsRetention;

  @Mixin ScalingOptions scaling = new ScalingOptions();

  @Mixin ReceptorOptions receptor = new ReceptorOptions();

  @Mixin NotifyOptions notify = new NotifyOptions();

  @Option(names = "--backup-every", converter = Flags.DurationConverter.class, paramLabel = "DURATION",
      description = "Write a backup this often, on the leader only (at least 1m; e.g. 6h). Needs --backup-dir.")
  Duration backupEvery;

  @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where scheduled backups go: berth-backup-YYYYMMDDTHHMMSSZ.bkp.")
  Path backupDir;

  @Option(names = "--backup-keep", paramLabel = "N", description = "How many scheduled backups to keep, the newest (default: 10).")
  Integer backupKeep;

  private ManagerConfig.DockerTls dockerTls() {
    if (dockerTlsBundles) {
      if (tlsCert != null || tlsKey != null) {
        throw new IllegalArgumentException("--docker-tls serves a certificate from the cluster CA: drop --tlscert and --tlskey "
            + "(--tlscacert may stay: its client certificates are administrators)");
      }
      return ManagerConfig.DockerTls.bundles(tlsCaCert);
    }
    if (tlsCert == null && tlsKey == null && !tlsVerify) return null;
    if (tlsCert == null || tlsKey == null) throw new IllegalArgumentException("TLS for the Docker endpoint needs both --tlscert and --tlskey");
    if (tlsVerify && tlsCaCert == null) throw new IllegalArgumentException("--tlsverify needs --tlscacert, the CA of the clients' certificates");
    return new ManagerConfig.DockerTls(tlsCert, tlsKey, tlsVerify ? tlsCaCert : null);
  }

  private RegistryConfig registry(Path dir) {
    if (registryAddr == null) {
      if (registryStorage != null) throw new IllegalArgumentException("--registry-storage needs --registry-addr: the storage is the registry's");
      return null;
    }
    return RegistryConfig.of(Flags.address("--registry-addr", registryAddr), dir.resolve("registry"))
        .withStorage(registryStorage == null ? null : registryStorage.toAbsolutePath());
  }

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : DataDir.defaultDir();
    ManagerConfig config = new ManagerConfig(Flags.address("--api-addr", apiAddr), Flags.address("--cluster-addr", clusterAddr),
        Flags.address("--docker-addr", dockerAddr), dir, store, nodeTtl, heartbeat, Flags.strategy(strategy), Flags.filters(filters),
        dockerTls(), discovery).withRegistry(registry(dir))
        .withMetricsRetention(Flags.metricsRetention(metricsRetention)).withLeadership(name, leaderTtl).withReceptor(receptor.receptor())
        .withNotify(notify.config());
    if (discovery != null) EngineDiscovery.addresses(discovery); // a bad list fails now, in one line
    BackupSchedule backups = BackupSchedule.of(backupEvery, backupDir, backupKeep);
    ScalingOptions.Paces paces = scaling.paces();
    try (Lifetime life = new Lifetime()) {
      life.add(DataDir.lock(dir, "berth", "berth manager"));
      StateStore s = life.add(StateStores.open(store));
      Manager m = life.add(Manager.start(config, s, Clock.systemUTC()));
      paces.applyTo(m);
      if (backups != null) life.add(new ScheduledBackups(s, m.leadership(), backups, dir, VersionCommand.version(), Clock.systemUTC()).start());
      System.out.println("berth manager is running: API http://" + config.apiAddr().getHostString() + ":" + m.apiPort()
          + ", cluster endpoint " + config.clusterAddr().getHostString() + ":" + m.clusterPort()
          + ", Docker endpoint tcp://" + config.dockerAddr().getHostString() + ":" + m.dockerPort() + ", store " + store
          + m.registryAddress().map(r -> ", image registry " + r).orElse(""));
      if (m.secrets().newAdminToken().isPresent()) {
        System.out.println("A new cluster was created. The admin API token is in " + dir.resolve("admin.token") + ".");
        System.out.println("Join nodes with:");
        System.out.println("  berth join --manager THIS_HOST:" + m.clusterPort() + " --token " + m.secrets().joinToken()
            + " --advertise NODE_IP:12376");
      } else {
        System.out.println("'berth join-token' prints the token that lets nodes join.");
      }
      life.awaitShutdown();
    }
    return 0;
  }
}
