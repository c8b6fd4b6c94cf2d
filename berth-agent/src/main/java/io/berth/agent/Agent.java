package io.berth.agent;

import io.berth.agent.build.BuildLoop;
import io.berth.agent.metrics.AgentMetrics;
import io.berth.agent.metrics.MetricsServer;
import io.berth.agent.metrics.Sampler;
import io.berth.agent.work.Executor;
import io.berth.cluster.BerthVersion;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Pem;
import io.berth.cluster.Refused;
import io.berth.cluster.Tls;
import io.berth.cluster.wire.JoinRequest;
import io.berth.cluster.wire.JoinResponse;
import io.berth.cluster.wire.Registration;
import io.berth.core.metrics.MetricRegistry;
import io.berth.core.node.EngineFacts;
import io.berth.engine.ContainerEngine;
import io.berth.engine.EngineInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.http.HttpTimeoutException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on a node: joins the cluster once with the join token (keeping the certificate it gets
 * in its data dir), serves its engine to managers, registers its node and heartbeats, and runs the
 * LRP instances and tasks assigned to it ({@link WorkLoop}, {@link Executor}). When the
 * manager is unreachable it keeps trying and leaves every container running: losing the manager
 * must never cost the workload.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** How long a join keeps trying while no manager can be reached. */
  static final Duration JOIN_PATIENCE = Duration.ofSeconds(30);
  private static final long JOIN_RETRY_MAX_MILLIS = 1_000;
  private final AgentConfig config;
  private final ContainerEngine engine;
  private final Identity identity;
  private final ManagerClient manager;
  private final Heartbeats heartbeats;
  private final EngineProxy proxy;
  private final Thread loop;
  private final Thread pulse;
  private final WorkLoop work;
  private final Executor executor;
  private final MetricRegistry metrics = new MetricRegistry();
  private final Sampler sampler;
  private final MetricsServer metricsServer;
  private final BuildLoop builds; // null unless the node is a build node

  private Agent(AgentConfig config, ContainerEngine engine, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.identity = loadOrJoin(config, clock);
    this.manager = new ManagerClient(new ManagerSet(config.managers()), identity.sslContext());
    try {
      Heartbeats.refuseForeign(manager);
    } catch (IllegalStateException e) {
      manager.close();
      throw e;
    }
    // Then: a busy --metrics-addr the operator chose fails the start before anything else runs.
    this.metricsServer = config.metricsAddr() == null ? null
        : MetricsServer.start(config.metricsAddr(), config.metricsAddrExplicit(), metrics).orElse(null);
    this.proxy = EngineProxy.start(config.listen(), identity.sslContext(), config.engineUrl());
    this.heartbeats = new Heartbeats(manager, this::registration, identity.name());
    // A platform thread: heartbeats must go out even when engine calls pin every carrier thread.
    this.loop = Thread.ofPlatform().daemon().name("agent-heartbeat").start(heartbeats);
    this.pulse = manager.listen();
    this.work = new WorkLoop(manager);
    this.executor = Executor.create(Executor.Config.defaults(config.advertise().getHostString(),
        config.dataDir().resolve("work")), engine, work).registryAuth(new PullAuth(manager)).start();
    work.start(executor);
    this.builds = !buildNode(config, engine) ? null : BuildLoop.start(new BuildJobsClient(manager), engine, new PullAuth(manager),
        config.dataDir().resolve("builds"), config.buildSlots(), clock);
    this.sampler = new Sampler(engine, config.metricsInterval(), clock, metrics,
        new MetricsFanOut(manager)).start();
    AgentMetrics.register(metrics, this::name, sampler::last);
  }

  /**
   * Starts an agent. Joining is the one step that fails fast (wrong token, manager not there on the
   * first start, name taken), with managers that all belong to another cluster: afterwards the agent
   * retries forever.
   */
  public static Agent start(AgentConfig config, ContainerEngine engine, Clock clock) {
    engine.ping();
    return new Agent(config, engine, clock);
  }

  public String name() {
    return identity.name();
  }

  /** "registered", "manager-unreachable" …: the last thing the heartbeat loop saw. */
  public String state() {
    return heartbeats.state();
  }

  /** The manager the agent talks to now, {@code HOST:PORT}. */
  public String currentManager() {
    return manager.managers().current();
  }

  /** Every manager the agent knows: those given, then those the answers named. */
  public List<String> knownManagers() {
    return manager.managers().known();
  }

  /** The newest assignments poll asked. */
  WorkLoop.Asked lastPoll() {
    return work.asked;
  }

  /** The newest answered heartbeat. */
  Heartbeats.Beat lastBeat() {
    return heartbeats.last();
  }

  /** The port {@code /metrics} really listens on, or -1 when it serves none. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** The agent's own metrics (the container samples among them). */
  public MetricRegistry metrics() {
    return metrics;
  }

  /** The port the engine proxy really listens on. */
  public int proxyPort() {
    return proxy.port();
  }

  private static Identity loadOrJoin(AgentConfig config, Clock clock) {
    try {
      Optional<Identity> saved = Identity.load(config.dataDir());
      Optional<JoinToken> token = Optional.ofNullable(config.joinToken()).filter(t -> !t.isBlank()).map(JoinToken::parse);
      if (saved.isPresent() && (token.isEmpty()
          || ClusterCa.fingerprint(saved.get().ca()).equals(token.get().caFingerprint()))) {
        if (config.name() != null && !config.name().equals(saved.get().name())) {
          throw new IllegalStateException("this data dir (" + config.dataDir() + ") belongs to node " + saved.get().name()
              + ", not " + config.name() + ": use another --data for another node");
        }
        return saved.get();
      }
      if (token.isEmpty()) {
        throw new IllegalStateException("this node has not joined yet: give the join token with --token (see 'berth join-token' on the manager)");
      }
      Identity joined = join(config.managers(), token.get(), config.name() != null ? config.name() : hostName(),
          config.advertise().getHostString());
      joined.save(config.dataDir());
      log.info("node-certified name={} manager={}", joined.name(), config.manager());
      return joined;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the agent data dir " + config.dataDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Joins with the token (the manager's CA pinned from it) through the first manager that answers,
   * and returns the node's new identity. A manager's "no" ends it; one that cannot be reached, or is
   * of another cluster, passes the turn to the next. While none can be reached at all, it tries again
   * for up to {@link #JOIN_PATIENCE}: a manager just started (with {@code berth dev}, or by the same
   * provisioning script) may not answer yet, and a busy machine makes it slower.
   */
  static Identity join(List<String> managers, JoinToken token, String name, String advertiseHost) {
    return join(managers, token, name, advertiseHost, JOIN_PATIENCE);
  }

  static Identity join(List<String> managers, JoinToken token, String name, String advertiseHost, Duration patience) {
    KeyPair pair = ClusterCa.newKeyPair();
    ManagerClient pinned = new ManagerClient(new ManagerSet(managers), Tls.pinned(token.caFingerprint()));
    JoinRequest req = new JoinRequest(token.toString(), name, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()), List.of(advertiseHost),
        BerthVersion.running());
    long deadline = System.nanoTime() + patience.toNanos();
    try {
      for (int round = 1; ; round++) {
        List<String> failures = new ArrayList<>();
        boolean unreachable = true;
        for (String m : managers) {
          try {
            JoinResponse r = pinned.post(m, "/v1/cluster/join", req, JoinResponse.class, ManagerClient.CALL_TIMEOUT);
            if (round > 1) log.info("node-join-answered manager={} tries={}", m, round);
            return new Identity(pair.getPrivate(), Pem.parseCertificate(r.certificate()), Pem.parseCertificate(r.ca()));
          } catch (Refused e) {
            throw new IllegalStateException("the manager refused to let this node join: " + e.getMessage());
          } catch (ManagerClient.NotOfCluster e) {
            failures.add(e.getMessage());
            unreachable = false;
          } catch (IOException e) {
            failures.add("cannot reach the manager at " + m + ": " + describe(e));
          }
        }
        String why = String.join("; ", failures);
        if (!unreachable || System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException(why + (round > 1 ? " (tried " + round + " times over " + patience.toSeconds() + " s)" : ""));
        }
        if (round == 1) log.warn("node-join-waiting: {} (trying again for up to {} s)", why, patience.toSeconds());
        Thread.sleep(Math.min(JOIN_RETRY_MAX_MILLIS, 200L * round));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining through " + String.join(",", managers));
    } finally {
      pinned.close();
    }
  }

  private Registration registration() {
    EngineInfo info = engine.info();
    Map<String, String> labels = new HashMap<>(info.labels());
    labels.putAll(config.labels());
    return new Registration(config.advertised(), new EngineFacts(info.serverVersion(), info.apiVersion(),
        info.operatingSystem(), info.kernelVersion(), info.storageDriver(), info.architecture(),
        info.cpus(), info.memoryBytes()), labels, BerthVersion.running());
  }

  /** A node takes builds when its labels (the engine's, overridden by {@code --label}) say {@code berth.build=true}. */
  static boolean buildNode(AgentConfig config, ContainerEngine engine) {
    String label = config.labels().get(AgentConfig.BUILD_LABEL);
    if (label == null) label = engine.info().labels().get(AgentConfig.BUILD_LABEL);
    return "true".equals(label);
  }

  static String describe(Throwable e) {
    if (e instanceof ManagerClient.NotOfCluster) return e.getMessage();
    if (e instanceof ConnectException) return "connection refused";
    if (e instanceof HttpTimeoutException) return "timed out";
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "node";
    }
  }

  @Override
  public void close() {
    loop.interrupt();
    pulse.interrupt();
    sampler.close();
    if (metricsServer != null) metricsServer.close();
    work.close();
    if (builds != null) builds.close();
    executor.close(); // stops the loop only: the containers keep running
    proxy.close();
    manager.close();
  }
}
