package io.berth.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@link ContainerEngine} in memory: containers start instantly and run until stopped, or until
 * {@link #exit} says their process ended. It answers with the same statuses and messages as
 * Docker 20.10 for everything {@code ContainerEngineContract} checks.
 *
 * <p>It runs no processes. {@link #exec} answers through an {@link ExecHandler} a test may set;
 * the default one models only {@code true}, {@code false}, {@code echo ARGS} and {@code cat FILE}
 * (optionally behind a {@code .../busybox} argument), and answers 127 for anything else. Archives
 * put into a container are kept as files in memory (by absolute path) and read back by
 * {@link #getArchive}; nothing in them is ever executed. A container's log holds only the lines a
 * test gives it with {@link #log}.
 *
 * <p>One lock per engine: the critical sections are a few map operations and never block, and a
 * simulator runs thousands of engines, each touched by few threads.
 */
public final class FakeEngine implements ContainerEngine {
  static final String NEVER = "0001-01-01T00:00:00Z";
  private static final Pattern VALID_NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  private static final int FIRST_EPHEMERAL_PORT = 32768;

  private final Object lock = new Object();
  private final EngineInfo info;
  private final Clock clock;
  private final Map<String, FakeContainer> byId = new HashMap<>();
  private final Map<String, String> idByName = new HashMap<>();
  private final FakeImages images = new FakeImages();
  private long sequence;
  private int nextEphemeralPort = FIRST_EPHEMERAL_PORT;
  private volatile boolean reachable = true;
  private final Map<String, TreeMap<String, TarReader.Entry>> files = new HashMap<>();
  /** Each container's directory binds, container path to host directory (FakeBinds). */
  private final Map<String, Map<String, Path>> boundDirs = new HashMap<>();
  private final Map<String, List<LogLine>> logs = new HashMap<>();
  private volatile ExecHandler execHandler = FakeEngine::defaultExec;
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  /** A container event, as the engine's {@code /events} reports it: create, start, die, stop, destroy. */
  public record Event(String action, String id, String name, String image, Map<String, String> labels, long timeNanos) {}

  /** Calls {@code listener} on every container event, under the engine's lock: it must not block. */
  public void onEvent(Consumer<Event> listener) {
    listeners.add(listener);
  }

  /** Stops calling a listener given to {@link #onEvent}. */
  public void removeListener(Consumer<Event> listener) {
    listeners.remove(listener);
  }

  private void emit(String action, FakeContainer c) {
    emit(action, c, c.spec().labels());
  }

  /** A die carries the exit code among its attributes, as Docker's does. */
  private void died(FakeContainer c, int exitCode) {
    Map<String, String> attributes = new HashMap<>(c.spec().labels());
    attributes.put("exitCode", Integer.toString(exitCode));
    emit("die", c, attributes);
  }

  private void emit(String action, FakeContainer c, Map<String, String> attributes) {
    if (listeners.isEmpty()) return;
    Instant t = clock.instant();
    Event e = new Event(action, c.id(), c.name(), c.spec().image(), Map.copyOf(attributes), t.getEpochSecond() * 1_000_000_000L + t.getNano());
    for (var l : listeners) l.accept(e);
  }

  /** Decides how a command run with {@link #exec} ends; called outside the engine's lock. */
  @FunctionalInterface
  public interface ExecHandler {
    ExecResult exec(FakeEngine engine, String id, List<String> cmd);
  }

  /** Answers {@link #exec} with {@code handler} from now on. */
  public void onExec(ExecHandler handler) {
    this.execHandler = handler;
  }

  /** The default {@link ExecHandler}: true, false, echo, cat of a file put into the container. */
  public static ExecResult defaultExec(FakeEngine engine, String id, List<String> cmd) {
    List<String> argv = !cmd.isEmpty() && cmd.get(0).endsWith("busybox") ? cmd.subList(1, cmd.size()) : cmd;
    String program = argv.isEmpty() ? "" : argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    return switch (program) {
      case "true" -> new ExecResult(0, "");
      case "false" -> new ExecResult(1, "");
      case "echo" -> new ExecResult(0, String.join(" ", argv.subList(1, argv.size())) + "\n");
      case "cat" -> {
        StringBuilder out = new StringBuilder();
        for (String path : argv.subList(1, argv.size())) {
          Optional<byte[]> content = engine.file(id, path);
          if (content.isEmpty()) yield new ExecResult(1, "cat: can't open '" + path + "': No such file or directory\n");
          out.append(new String(content.get(), StandardCharsets.UTF_8));
        }
        yield new ExecResult(0, out.toString());
      }
      default -> new ExecResult(127, "FakeEngine does not model exec of " + argv + "\n");
    };
  }

  /** The content of a regular file put into a container, if there is one at {@code path}. */
  public Optional<byte[]> file(String idOrName, String path) {
    synchronized (lock) {
      FakeContainer c = find(idOrName);
      TarReader.Entry e = files.getOrDefault(c.id(), new TreeMap<>()).get(normalize(path));
      return e == null || !e.isFile() ? Optional.empty() : Optional.of(e.content());
    }
  }

  /** Writes a file into a container, as a process in it would. */
  public void writeFile(String idOrName, String path, byte[] content) {
    synchronized (lock) {
      FakeContainer c = find(idOrName);
      TarReader.Entry e = new TarReader.Entry(normalize(path), '0', 0644, content, "");
      files.computeIfAbsent(c.id(), k -> new TreeMap<>()).put(e.name(), e);
      FakeBinds.mirror(boundDirs.getOrDefault(c.id(), Map.of()), e.name(), e);
    }
  }

  /** One line of a container's log, as its process wrote it on stdout or stderr (without the newline). */
  public record LogLine(boolean stderr, String text) {}

  /** Appends a line to a container's log, as its process would write it; wakes those waiting in {@link #awaitLog}. */
  public void log(String idOrName, boolean stderr, String text) {
    synchronized (lock) {
      FakeContainer c = find(idOrName);
      logs.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(new LogLine(stderr, text));
      lock.notifyAll();
    }
  }

  /** The container's log so far, oldest line first. */
  public List<LogLine> logs(String idOrName) {
    check();
    synchronized (lock) {
      return List.copyOf(logs.getOrDefault(find(idOrName).id(), List.of()));
    }
  }

  /**
   * Waits until the container's log has more than {@code seen} lines, the container is not
   * running or is gone, or {@code wait} has passed: what a follower of its log waits for.
   */
  public void awaitLog(String id, int seen, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (true) {
        FakeContainer c = lookup(id);
        if (c == null || !c.running() || logs.getOrDefault(c.id(), List.of()).size() > seen) return;
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** A fake with 4 cpus, 8 GiB, no labels and the system clock. */
  public FakeEngine() {
    this(builder());
  }

  private FakeEngine(Builder b) {
    this.clock = b.clock;
    this.info = new EngineInfo("FAKE:" + FakeImages.randomHex(12).toUpperCase(), b.name, "20.10.24-fake", "1.41",
        "Berth FakeEngine", "linux", "x86_64", "fake", "memory", b.cpus, b.memoryBytes, b.labels);
  }

  /** Starts describing a fake engine. */
  public static Builder builder() {
    return new Builder();
  }

  /** Makes every call fail with 503 as if the engine were gone ({@code false}), or answer again. */
  public void reachable(boolean reachable) {
    this.reachable = reachable;
  }

  /** Simulates the main process of a running container ending with {@code exitCode}. */
  public void exit(String idOrName, int exitCode) {
    synchronized (lock) {
      FakeContainer c = find(idOrName);
      if (c.running()) {
        replace(c.stopped(exitCode, now()));
        died(c, exitCode);
      }
    }
  }

  @Override
  public void ping() {
    check();
  }

  @Override
  public EngineInfo info() {
    check();
    return info;
  }

  @Override
  public List<ContainerSummary> listContainers(boolean all, Map<String, String> labels) {
    check();
    List<FakeContainer> matching = new ArrayList<>();
    synchronized (lock) {
      for (FakeContainer c : byId.values()) {
        if ((all || c.running()) && c.spec().labels().entrySet().containsAll(labels.entrySet())) {
          matching.add(c);
        }
      }
    }
    matching.sort(Comparator.comparingLong(FakeContainer::sequence).reversed()); // newest first
    return matching.stream().map(FakeContainer::summary).toList();
  }

  @Override
  public Optional<ContainerDetails> inspect(String idOrName) {
    check();
    synchronized (lock) {
      return Optional.ofNullable(lookup(idOrName)).map(FakeContainer::details);
    }
  }

  @Override
  public String create(ContainerSpec spec) {
    check();
    String name = spec.name() == null || spec.name().isEmpty() ? null : spec.name();
    if (name != null && !VALID_NAME.matcher(name).matches()) {
      throw new EngineException(400, "Invalid container name (" + name
          + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    String image = FakeImages.withTag(spec.image());
    if (!images.has(image)) {
      throw new EngineException(404, "No such image: " + image);
    }
    synchronized (lock) {
      if (spec.cmd().isEmpty()) { // imported images carry no CMD, so Docker refuses too
        throw new EngineException(400, "No command specified");
      }
      String id = FakeImages.randomHex(64);
      name = name == null ? "fake_" + id.substring(0, 12) : name.startsWith("/") ? name.substring(1) : name;
      String holder = idByName.get(name);
      if (holder != null) {
        throw new EngineException(409, "Conflict. The container name \"/" + name
            + "\" is already in use by container \"" + holder
            + "\". You have to remove (or rename) that container to be able to reuse that name.");
      }
      idByName.put(name, id);
      FakeContainer made = FakeContainer.created(id, name, spec, ++sequence, clock.instant().getEpochSecond());
      byId.put(id, made);
      // A bind is modelled as a copy of the host's files, readable with file(); writes under a bound
      // directory go to the host too (FakeBinds).
      try {
        TreeMap<String, TarReader.Entry> tree = new TreeMap<>();
        FakeBinds.copyIn(spec.binds(), tree);
        if (!tree.isEmpty()) files.put(id, tree);
      } catch (IOException e) {
        throw new EngineException(400, "invalid bind in " + spec.binds() + ": " + e.getMessage());
      }
      Map<String, Path> dirs = FakeBinds.directories(spec.binds());
      if (!dirs.isEmpty()) boundDirs.put(id, dirs);
      emit("create", made);
      return id;
    }
  }

  @Override
  public void start(String id) {
    check();
    synchronized (lock) {
      FakeContainer c = find(id);
      if (c.running()) {
        return;
      }
      Map<String, Integer> published = new HashMap<>();
      c.spec().ports().forEach((port, hostPort) -> {
        int chosen = hostPort == null || hostPort == 0 ? nextEphemeralPort++ : hostPort;
        String address = c.spec().hostIp().isEmpty() ? "0.0.0.0" : c.spec().hostIp();
        if (portTaken(address, chosen)) {
          throw new EngineException(500, EngineException.Reason.PORT_IN_USE, "driver failed programming external connectivity on endpoint "
              + c.name() + " (" + c.id() + "): Bind for " + address + ":" + chosen
              + " failed: port is already allocated");
        }
        published.put(port, chosen);
      });
      replace(c.started(now(), published));
      emit("start", c);
    }
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    check();
    synchronized (lock) {
      FakeContainer c = find(id);
      if (c.running()) {
        replace(c.stopped(137, now())); // what a PID 1 that ignores SIGTERM gets from docker stop
        died(c, 137);
        emit("stop", c);
      }
    }
  }

  @Override
  public void remove(String id, boolean force) {
    check();
    synchronized (lock) {
      FakeContainer c = find(id);
      if (c.running() && !force) {
        throw new EngineException(409, "You cannot remove a running container " + c.id()
            + ". Stop the container before attempting removal or force remove");
      }
      byId.remove(c.id());
      idByName.remove(c.name());
      files.remove(c.id());
      boundDirs.remove(c.id());
      logs.remove(c.id());
      lock.notifyAll(); // a follower of its log ends
      if (c.running()) died(c, 137);
      emit("destroy", c);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    check();
    String full;
    synchronized (lock) {
      FakeContainer c = find(id);
      if (!c.running()) {
        throw new EngineException(409, "Container " + c.id() + " is not running");
      }
      full = c.id();
    }
    return execHandler.exec(this, full, List.copyOf(cmd));
  }

  @Override
  public void putArchive(String id, String path, InputStream tar) {
    check();
    List<TarReader.Entry> entries;
    try {
      entries = TarReader.read(tar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new EngineException(400, "Error processing tar file: " + e.getMessage());
    }
    synchronized (lock) {
      FakeContainer c = find(id);
      var tree = files.computeIfAbsent(c.id(), k -> new TreeMap<>());
      for (TarReader.Entry e : entries) {
        String at = normalize(path + "/" + e.name());
        TarReader.Entry put = new TarReader.Entry(at, e.type(), e.mode(), e.content(), e.link());
        tree.put(at, put);
        FakeBinds.mirror(boundDirs.getOrDefault(c.id(), Map.of()), at, put);
      }
    }
  }

  /** As Docker: the entries are named from the last element of {@code path} down. */
  @Override
  public byte[] getArchive(String id, String path) {
    check();
    synchronized (lock) {
      FakeContainer c = find(id);
      String at = normalize(path);
      var tree = files.getOrDefault(c.id(), new TreeMap<>());
      String base = at.substring(at.lastIndexOf('/') + 1);
      TarWriter out = new TarWriter();
      boolean found = false;
      for (var e : tree.tailMap(at, true).entrySet()) {
        String p = e.getKey();
        if (!p.equals(at) && !p.startsWith(at.equals("/") ? "/" : at + "/")) break;
        found = true;
        String name = (base + p.substring(at.length())).replaceFirst("^/", "");
        switch (e.getValue().type()) {
          case '5' -> out.directory(name, e.getValue().mode());
          case '2' -> out.symlink(name, e.getValue().link());
          default -> out.file(name, e.getValue().mode(), e.getValue().content());
        }
      }
      if (!found) {
        throw new EngineException(404, "Could not find the file " + path + " in container " + id);
      }
      return out.finish();
    }
  }

  @Override
  public AutoCloseable events(Consumer<ContainerEvent> listener) {
    Consumer<Event> each = e -> listener.accept(new ContainerEvent(e.action(), e.id(), e.labels(),
        e.action().equals("die") ? Integer.parseInt(e.labels().getOrDefault("exitCode", "-1")) : -1, e.timeNanos()));
    onEvent(each);
    return () -> removeListener(each);
  }

  static String normalize(String path) {
    return Path.of("/", path).normalize().toString(); // string arithmetic only, no I/O
  }

  /**
   * Made-up counters that move with the fake clock: each running container uses a steady share of
   * a core (1 to 20 %, from its id), 8 to 40 MiB, and a few KiB/s of network and disk.
   */
  @Override
  public Optional<ContainerStats> stats(String id) {
    check();
    synchronized (lock) {
      FakeContainer c = lookup(id);
      if (c == null || !c.running()) return Optional.empty();
      Instant now = clock.instant();
      long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      Instant started = Instant.parse(c.startedAt());
      long up = Math.max(0, nowNanos - (started.getEpochSecond() * 1_000_000_000L + started.getNano()));
      int h = Math.floorMod(c.id().hashCode(), 1 << 20);
      double share = 0.01 + (h % 20) / 100.0;
      long upMs = up / 1_000_000;
      long limit = c.spec().memoryBytes() > 0 ? c.spec().memoryBytes() : info.memoryBytes();
      return Optional.of(new ContainerStats(nowNanos, (long) (up * share), 0, info.cpus(),
          (8L << 20) + (h % 32) * (1L << 20), limit, upMs * 4, upMs * 2, upMs, upMs / 2, 1 + h % 4));
    }
  }

  @Override
  public List<ImageSummary> listImages() {
    check();
    return images.list();
  }

  @Override
  public boolean hasImage(String reference) {
    check();
    return images.has(reference);
  }

  /** Reads the whole stream and records the image; refuses what does not look like a tar. */
  @Override
  public void importImage(InputStream rootfsTar, String repository, String tag) {
    check();
    images.importTar(rootfsTar, repository + ":" + tag);
  }

  /**
   * Pulls from the fake's registry: a reference {@link #publish published} there becomes present;
   * any other is refused with the engine's words, as no registry is reachable.
   */
  @Override
  public void pull(String reference, Consumer<String> progress) {
    check();
    String ref = reference.contains(":") && reference.lastIndexOf(':') > reference.lastIndexOf('/') ? reference : reference + ":latest";
    if (!registry.contains(ref)) {
      throw new EngineException(404, "pull access denied for " + ref.substring(0, ref.lastIndexOf(':'))
          + ", repository does not exist or may require 'docker login'");
    }
    progress.accept("Pulling from " + ref);
    images.add(ref, 0);
    progress.accept("Status: Downloaded newer image for " + ref);
  }

  private final Set<String> registry = ConcurrentHashMap.newKeySet();
  private final List<String> pullAuths = new CopyOnWriteArrayList<>();

  /** Records the credentials (null: none) and pulls as without them: the fake's registry asks for none. */
  @Override
  public void pull(String reference, String registryAuth, Consumer<String> progress) {
    pullAuths.add(reference + " " + registryAuth);
    pull(reference, progress);
  }

  /** Each pull made with {@link #pull(String, String, Consumer)}: {@code "REFERENCE AUTH"}. */
  public List<String> pullAuths() {
    return List.copyOf(pullAuths);
  }

  /** Makes {@code reference} pullable, as if pushed to its registry. */
  public void publish(String reference) {
    registry.add(reference);
  }

  private final FakeBuilds builds = new FakeBuilds();

  /** Checks the Dockerfile's instructions and tags the image ({@link FakeBuilds}); nothing runs. */
  @Override
  public void build(InputStream context, String dockerfile, List<String> tags, boolean noCache, Consumer<String> progress) {
    check();
    builds.build(context, dockerfile, tags, progress, images);
  }

  /** Publishes a present image to the fake's registry, recording the credentials. */
  @Override
  public void push(String reference, String registryAuth, Consumer<String> progress) {
    check();
    builds.push(reference, registryAuth, progress, images, registry);
  }

  /** Each push that succeeded: {@code "REPO:TAG AUTH"}. */
  public List<String> pushes() {
    return builds.pushes();
  }

  /** Has every push from now on fail with {@code message} (null: succeed again), as a registry that refuses. */
  public void refusePushes(String message) {
    builds.refusePushes(message);
  }

  /** Binds are modelled as copies of the host's files. */
  @Override
  public boolean sharesHostFiles() {
    return true;
  }

  /** Adds an image without a tarball, for simulators and benchmarks. */
  public void addImage(String reference) {
    images.add(reference, 0);
  }

  @Override
  public void close() {
    // nothing to release
  }

  @Override
  public String toString() {
    return "FakeEngine[" + info.name() + "]";
  }

  private boolean portTaken(String address, int port) {
    for (FakeContainer other : byId.values()) {
      if (other.running() && other.publishedPorts().containsValue(port)) {
        String theirs = other.spec().hostIp().isEmpty() ? "0.0.0.0" : other.spec().hostIp();
        if (theirs.equals(address) || theirs.equals("0.0.0.0") || address.equals("0.0.0.0")) {
          return true;
        }
      }
    }
    return false;
  }

  private FakeContainer find(String idOrName) {
    FakeContainer c = lookup(idOrName);
    if (c == null) {
      throw new EngineException(404, "No such container: " + idOrName);
    }
    return c;
  }

  /** By full id, by name (with or without '/'), else by a unique id prefix, as Docker does. */
  private FakeContainer lookup(String idOrName) {
    FakeContainer c = byId.get(idOrName);
    if (c != null) {
      return c;
    }
    String id = idByName.get(idOrName.startsWith("/") ? idOrName.substring(1) : idOrName);
    if (id != null) {
      return byId.get(id);
    }
    List<FakeContainer> prefixed = byId.values().stream().filter(x -> x.id().startsWith(idOrName)).limit(2).toList();
    return prefixed.size() == 1 && !idOrName.isEmpty() ? prefixed.get(0) : null;
  }

  /** Under the lock; wakes followers of the container's log, whose stream ends when it stops. */
  private void replace(FakeContainer c) {
    byId.put(c.id(), c);
    lock.notifyAll();
  }

  private String now() {
    return clock.instant().toString();
  }

  private void check() {
    if (!reachable) {
      throw new EngineException(503, "cannot reach the Docker engine at fake://" + info.name()
          + ": the fake engine is set unreachable");
    }
  }

  /** Describes a fake engine: what {@link #info()} reports, and the clock for timestamps. */
  public static final class Builder {
    private String name = "fake";
    private int cpus = 4;
    private long memoryBytes = 8L << 30;
    private Map<String, String> labels = Map.of();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder name(String name) { this.name = name; return this; }
    public Builder cpus(int cpus) { this.cpus = cpus; return this; }
    public Builder memoryBytes(long memoryBytes) { this.memoryBytes = memoryBytes; return this; }
    public Builder labels(Map<String, String> labels) { this.labels = Map.copyOf(labels); return this; }
    public Builder clock(Clock clock) { this.clock = clock; return this; }

    public FakeEngine build() {
      return new FakeEngine(this);
    }
  }
}
