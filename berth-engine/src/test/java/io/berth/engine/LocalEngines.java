package io.berth.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test fixture that runs N real Docker engines on this one machine: node K has its own
 * directory, socket {@code unix://BASE/nodeK/docker.sock}, bridge {@code berthbrK} on
 * 172.31.K.1/24, publishes ports on 127.0.0.1K (node1 on 127.0.0.11) and carries the engine
 * label {@code node=nodeK}; each holds {@value BusyboxImage#REFERENCE}.
 *
 * <pre>{@code
 * try (LocalEngines engines = LocalEngines.start(2)) {
 *   engines.node(1).engine().create(ContainerSpec.of(BusyboxImage.REFERENCE, "sleep", "60"));
 * }
 * }</pre>
 *
 * <p>Without dockerd, root or busybox-static it skips the test with one line, or fails when the
 * environment variable {@code CI} is set. With {@link Builder#baseDir} the data survives between
 * runs and engines already running there (from an earlier run or {@code scripts/engines up}) are
 * adopted and left running on {@link #close()}.
 */
public final class LocalEngines implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalEngines.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Path base;
  private final boolean temporary;
  private final List<LocalDockerd> daemons;
  private final List<LocalEngine> engines = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "local-engines-shutdown");

  private LocalEngines(Path base, boolean temporary, List<LocalDockerd> daemons) {
    this.base = base;
    this.temporary = temporary;
    this.daemons = daemons;
  }

  /** Starts engines node1..nodeN in a fresh temporary directory. */
  public static LocalEngines start(int nodes) {
    return builder().nodes(nodes).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All engines, in node order. */
  public List<LocalEngine> engines() {
    return List.copyOf(engines);
  }

  /** Node K, counted as in its name ({@code node(1)} is node1 unless the first node was moved). */
  public LocalEngine node(int number) {
    return engines.stream().filter(e -> e.number() == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node" + number + " in " + engines));
  }

  public Path baseDir() {
    return base;
  }

  /** Stops the engines this fixture started (SIGTERM, SIGKILL after 20 s) and removes their bridges. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook itself is running
    }
    stopAll();
  }

  private synchronized void stopAll() {
    engines.forEach(e -> e.engine().close());
    daemons.stream().filter(d -> !d.adopted()).forEach(LocalDockerd::signalStop);
    daemons.stream().filter(d -> !d.adopted()).forEach(d -> d.awaitStopped(STOP_GRACE));
    if (temporary) {
      deleteQuietly(base);
    }
  }

  private void startAll(Duration timeout) {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    String dockerd = Prerequisites.dockerd();
    try {
      List<LocalDockerd> launched = new ArrayList<>();
      for (LocalDockerd d : daemons) {
        if (!d.adoptIfRunning()) {
          d.launch(dockerd);
          launched.add(d);
        }
      }
      launched.forEach(d -> d.awaitReady(timeout));
      daemons.forEach(d -> engines.add(new LocalEngine(d.name, d.number, d.socket.toString(), d.address,
          d.bridge, d.dir, new DockerEngine(d.socket))));
      importBusyboxEverywhere();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void importBusyboxEverywhere() {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> imports = engines.stream()
          .map(e -> pool.submit(() -> BusyboxImage.ensure(e.engine()))).toList();
      for (Future<Boolean> f : imports) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("importing " + BusyboxImage.REFERENCE + " failed: " + e.getMessage(), e);
    }
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      log.warn("local-engines-cleanup-failed dir={} reason={}", dir, e.toString());
    }
  }

  /** How many engines, numbered from where, living in which directory. */
  public static final class Builder {
    private int nodes = 1;
    private int firstNode = 1;
    private Path baseDir;
    private Duration startTimeout = Duration.ofSeconds(30);
    private int tcpPort;
    private List<Path> tls;

    private Builder() {}

    /** With {@link #tcpPort}: that port requires TLS with client certificates of {@code ca} ({@code dockerd --tlsverify}). */
    public Builder tls(Path ca, Path cert, Path key) {
      this.tls = List.of(ca, cert, key);
      return this;
    }

    /** Each engine also listens on {@code 127.0.0.1K:port} over plain TCP, as an engine managed without an agent would. */
    public Builder tcpPort(int port) {
      this.tcpPort = port;
      return this;
    }

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    /** Numbers the engines from {@code firstNode}; tests use high numbers to leave node1.. to humans. */
    public Builder firstNode(int firstNode) {
      this.firstNode = firstNode;
      return this;
    }

    /** Keeps the engines' data in {@code dir} (created if missing) instead of a temporary directory. */
    public Builder baseDir(Path dir) {
      this.baseDir = dir;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Starts (or adopts) the engines and imports the busybox image; skips or fails as described above. */
    public LocalEngines start() {
      int last = firstNode + nodes - 1;
      if (nodes < 1 || firstNode < 1 || last > 55) { // 127.0.0.1K must stay a valid address
        throw new IllegalArgumentException("nodes " + firstNode + ".." + last + " outside 1..55");
      }
      Prerequisites.requireOrSkip();
      boolean temporary = baseDir == null;
      Path base;
      try {
        base = temporary ? Files.createTempDirectory("berth-engines-") : Files.createDirectories(baseDir);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create " + (temporary ? "a temporary directory" : baseDir), e);
      }
      Prerequisites.requireShortSockets(base);
      List<LocalDockerd> daemons = new ArrayList<>();
      for (int k = firstNode; k <= last; k++) {
        daemons.add(new LocalDockerd(base, k, tcpPort, tls));
      }
      LocalEngines engines = new LocalEngines(base, temporary, daemons);
      engines.startAll(startTimeout);
      return engines;
    }
  }

  /** What a machine needs to run local engines, and the one line said when it lacks it. */
  static final class Prerequisites {
    private Prerequisites() {}

    static void requireOrSkip() {
      String missing = missing();
      if (missing == null) {
        return;
      }
      String line = "LocalEngines: " + missing;
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(line + " (CI is set, so this fails instead of skipping)");
      }
      System.err.println(line + "; skipping");
      Assumptions.abort(line);
    }

    private static String missing() {
      if (findDockerd() == null) {
        return "dockerd not found (apt-get install docker.io)";
      }
      if (!BusyboxImage.available()) {
        return BusyboxImage.BUSYBOX + " not found (apt-get install busybox-static)";
      }
      try {
        if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
          return "dockerd needs root and this JVM does not run as root";
        }
      } catch (IOException | UnsupportedOperationException e) {
        return "cannot tell whether this JVM runs as root (" + e.getMessage() + ")";
      }
      return null;
    }

    static String dockerd() {
      return findDockerd();
    }

    private static String findDockerd() {
      List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
      dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"));
      return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "dockerd"))
          .filter(Files::isExecutable).map(Path::toString).findFirst().orElse(null);
    }

    /** containerd puts sockets under the exec root; a unix socket path has at most 107 bytes. */
    static void requireShortSockets(Path base) {
      String longest = base.resolve("node55/exec/containerd/containerd.sock.ttrpc").toString();
      if (longest.length() > 100) {
        throw new IllegalArgumentException("base directory " + base + " is too long for unix socket paths;"
            + " use a shorter one (e.g. under /tmp or /var/lib)");
      }
    }
  }
}
