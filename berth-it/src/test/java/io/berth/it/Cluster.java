package io.berth.it;

import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import io.berth.store.EtcdCluster;
import io.berth.store.EtcdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A running {@link BerthCluster}: its engines, store, manager(s) and agents, and what a test needs
 * to drive it — the admin's API client, the CLI pointed at the manager, the Docker endpoint — and
 * to hurt it: a manager or an agent killed and started again on the same data and ports.
 */
final class Cluster implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);
  private final ClusterSpec spec;
  private final Path dir;
  private final List<Integer> apiPorts = new ArrayList<>();
  private final List<Integer> dockerPorts = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<BerthProcess> managers = new ArrayList<>();
  private final Map<String, BerthProcess> agents = new LinkedHashMap<>();
  private LocalEngines engines;
  private EtcdProcess etcd;
  private EtcdCluster etcdMembers;
  /** With several etcd members: manager i's way to them, which a test may cut. */
  private final List<TcpRelay> relays = new ArrayList<>();
  private String joinToken;

  private Cluster(ClusterSpec spec, Path dir) {
    this.spec = spec;
    this.dir = dir;
    for (int i = 0; i < spec.managers(); i++) {
      apiPorts.add(Ports.free());
      dockerPorts.add(Ports.free());
      clusterPorts.add(Ports.free());
    }
  }

  /** Starts the engines while etcd and the manager start, then the agents, and waits until every node is ready. */
  static Cluster start(ClusterSpec spec) throws Exception {
    Cluster c = new Cluster(spec, Files.createTempDirectory("berth-it-cluster"));
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<LocalEngines> engines = pool.submit(() -> spec.nodes() == 0 ? null
          : LocalEngines.builder().nodes(spec.nodes()).firstNode(spec.firstNode()).tcpPort(spec.engineTcpPort()).start());
      try {
        if (spec.store() == BerthCluster.Store.ETCD && spec.etcdMembers() > 1) c.etcdMembers = EtcdCluster.startOnFreePorts(spec.etcdMembers());
        else if (spec.store() == BerthCluster.Store.ETCD) c.etcd = EtcdProcess.start();
        boolean early = spec.manager() && spec.setup() == BerthCluster.Setup.None.class;
        if (early) c.startManagers(); // a manager needs no engine: it starts beside them
        c.engines = awaitEngines(engines);
        if (!early && spec.manager()) {
          spec.setup().getDeclaredConstructor().newInstance().beforeManager(c.dir, c.engines());
          c.startManagers();
        }
        if (spec.joins()) c.joinAll();
        return c;
      } catch (Exception | Error e) {
        if (c.engines == null && engines.state() == Future.State.SUCCESS && engines.resultNow() != null) c.engines = engines.resultNow();
        c.close();
        throw e;
      }
    }
  }

  private static LocalEngines awaitEngines(Future<LocalEngines> engines) throws Exception {
    try {
      return engines.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }

  private void startManagers() throws Exception {
    for (int i = 0; i < spec.managers(); i++) managers.add(null);
    for (int i = 0; i < spec.managers(); i++) startManager(i);
  }

  private List<String> managerArgs(int i) {
    String store = etcdMembers != null ? "etcd://127.0.0.1:" + relay(i).port() : etcd != null ? etcd.url() : "sqlite://" + dir.resolve("berth.db");
    List<String> args = new ArrayList<>(List.of("manage", "--store", store, "--data", managerData(i).toString(),
        "--api-addr", "127.0.0.1:" + apiPorts.get(i), "--cluster-addr", "127.0.0.1:" + clusterPorts.get(i),
        "--docker-addr", "127.0.0.1:" + dockerPorts.get(i)));
    // Several managers on one host: each its own name (the default, the host name, would be taken).
    if (spec.managers() > 1) args.addAll(List.of("--name", managerName(i)));
    for (String a : spec.managerArgs()) args.add(a.replace("{dir}", dir.toString()).replace("{i}", String.valueOf(i)));
    return args;
  }

  private void joinAll() throws Exception {
    for (LocalEngine e : engines()) startAgent(e, joinToken());
    await().atMost(READY).until(() -> {
      // On a loaded machine a first join can time out (5 s); the agent exits, and a new one joins.
      for (LocalEngine e : engines()) if (!agent(e.name()).isAlive()) startAgent(e);
      return api().countNodes(n -> n.path("state").asText().equals("ready")) == spec.nodes();
    });
  }

  /** Starts the first manager again (after {@link #killManager}) on the same data and ports, and waits until it runs. */
  BerthProcess startManager() throws Exception {
    return startManager(0);
  }

  BerthProcess startManager(int i) throws Exception {
    BerthProcess m = BerthProcess.start(i == 0 ? "manager" : "manager-" + i, dir, managerArgs(i).toArray(String[]::new));
    managers.set(i, m);
    m.awaitLine("berth manager is running", Duration.ofSeconds(60));
    return m;
  }

  /** SIGKILLs the first manager, as a crash. */
  void killManager() throws InterruptedException {
    manager().kill();
  }

  BerthProcess manager() {
    return managers.get(0);
  }

  /** Starts node {@code e}'s agent (again), with the join token, or with none (null) to join on the certificate it has. */
  BerthProcess startAgent(LocalEngine e, String token) throws IOException {
    List<String> args = new ArrayList<>(List.of("join", "--manager", managerAddresses(),
        "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(),
        "--data", dir.resolve("agent-" + e.name()).toString()));
    if (token != null) args.addAll(List.of("--token", token));
    args.addAll(spec.labelFlags(e.number()));
    BerthProcess a = BerthProcess.start("agent-" + e.name(), dir, args.toArray(String[]::new));
    agents.put(e.name(), a);
    return a;
  }

  /** Starts node {@code e}'s agent again with the join token. */
  BerthProcess startAgent(LocalEngine e) throws IOException {
    return startAgent(e, joinToken());
  }

  BerthProcess agent(String node) {
    return agents.get(node);
  }

  /** True when every process the cluster started still runs and every node is ready: the next class may use it. */
  boolean healthy() {
    if (managers.stream().anyMatch(m -> !m.isAlive()) || agents.values().stream().anyMatch(a -> !a.isAlive())) return false;
    return !spec.joins() || api().countNodes(n -> n.path("state").asText().equals("ready")) == spec.nodes();
  }

  /** Runs {@code berth ARGS} as the administrator against the first manager. */
  BerthProcess.Result berth(Duration timeout, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api", apiUrl(), "--data", managerData().toString()));
    return BerthProcess.run(timeout, all.toArray(String[]::new));
  }

  ManagerApi api() {
    return new ManagerApi(apiUrl(), managerData());
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPorts.get(0);
  }

  int apiPort() {
    return apiPorts.get(0);
  }

  /** The first manager's Docker endpoint, {@code tcp://127.0.0.1:PORT}. */
  String dockerHost() {
    return dockerHost(0);
  }

  String dockerHost(int manager) {
    return "tcp://127.0.0.1:" + dockerPorts.get(manager);
  }

  int dockerPort() {
    return dockerPorts.get(0);
  }

  int clusterPort() {
    return clusterPorts.get(0);
  }

  /** Every manager's cluster endpoint, as {@code berth join --manager} takes them. */
  String managerAddresses() {
    return String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** The name manager {@code i} runs under when there are several. */
  static String managerName(int i) {
    return "m" + i;
  }

  int managerCount() {
    return managers.size();
  }

  BerthProcess manager(int i) {
    return managers.get(i);
  }

  /** SIGKILLs manager {@code i}, as a crash. */
  void killManager(int i) throws InterruptedException {
    managers.get(i).kill();
  }

  String apiUrl(int i) {
    return "http://127.0.0.1:" + apiPorts.get(i);
  }

  List<Integer> apiPorts() {
    return List.copyOf(apiPorts);
  }

  List<Integer> dockerPorts() {
    return List.copyOf(dockerPorts);
  }

  /** The administrator's token, from the first manager's data directory. */
  String adminToken() throws IOException {
    return Files.readString(managerData().resolve("admin.token")).trim();
  }

  /** The token that lets a node join, as {@code berth join-token} prints it. */
  String joinToken() {
    if (joinToken == null) joinToken = api().get("/v1/join-token").path("token").asText();
    return joinToken;
  }

  Path dir() {
    return dir;
  }

  Path managerData() {
    return managerData(0);
  }

  Path managerData(int i) {
    return dir.resolve(i == 0 ? "manager" : "manager-" + i);
  }

  /** The etcd the cluster keeps its state in; null on SQLite. */
  EtcdProcess etcd() {
    return etcd;
  }

  /**
   * Manager {@code i}'s relay to the etcd members (made on first use): it dials member i first, so
   * the managers spread over the members, and the next one when that one is gone.
   */
  TcpRelay relay(int i) {
    while (relays.size() <= i) {
      List<InetSocketAddress> targets = new ArrayList<>();
      List<String> endpoints = etcdMembers.endpoints();
      for (int k = 0; k < endpoints.size(); k++) {
        String[] hp = endpoints.get((relays.size() + k) % endpoints.size()).replaceFirst("^\\w+://", "").split(":");
        targets.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
      }
      try {
        relays.add(new TcpRelay(targets));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return relays.get(i);
  }

  /** The etcd members the cluster keeps its state in, when it has several; null otherwise. */
  EtcdCluster etcdMembers() {
    return etcdMembers;
  }

  List<LocalEngine> engines() {
    return engines == null ? List.of() : engines.engines();
  }

  /** Node K, counted as in its name. */
  LocalEngine node(int number) {
    return engines.node(number);
  }

  LocalEngine engine(String name) {
    return engines().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static void closeQuietly(TcpRelay r) {
    try {
      r.close();
    } catch (IOException e) {
      // the test's end: nothing to do
    }
  }

  /** Agents first, then managers, etcd and the engines; the next start is a fresh cluster. */
  @Override
  public void close() {
    try {
      for (BerthProcess a : agents.values()) a.close();
      for (int i = managers.size() - 1; i >= 0; i--) if (managers.get(i) != null) managers.get(i).close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the engines still go: they would outlive the run
    } finally {
      if (etcd != null) etcd.close();
      for (TcpRelay r : relays) closeQuietly(r);
      if (etcdMembers != null) etcdMembers.close();
      if (engines != null) engines.close();
    }
  }
}
