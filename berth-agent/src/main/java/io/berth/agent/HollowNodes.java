package io.berth.agent;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Json;
import io.berth.cluster.Pem;
import io.berth.cluster.Refused;
import io.berth.cluster.Tls;
import io.berth.cluster.wire.Heartbeat;
import io.berth.cluster.wire.JoinRequest;
import io.berth.cluster.wire.JoinResponse;
import io.berth.cluster.wire.Registration;
import io.berth.core.node.EngineFacts;
import io.berth.engine.ContainerSpec;
import io.berth.engine.FakeDockerServer;
import io.berth.engine.FakeEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hollow nodes, for {@code berth sim}: each one joins the cluster as an agent does (its own key and
 * certificate), registers and heartbeats on the real cluster protocol, and serves managers the
 * Docker API of an in-memory {@link FakeEngine} behind the same mutual-TLS engine proxy, on its
 * own loopback address. Containers "run" at once and their CPUs and memory are accounted, so a
 * manager, its scheduler and its Docker endpoint can be measured at thousands of nodes on one
 * machine. Nothing else is hollow: the manager cannot tell these nodes from real ones.
 *
 * <p>Each node holds one connection to the manager for its beats ({@link HeldConnection}): a beat on
 * it costs no handshake, and the manager's cluster endpoint holds an idle one for ~25 KB.
 */
public final class HollowNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);
  private static final int PARALLEL_JOINS = 8;
  private static final int JOIN_ATTEMPTS = 6;
  private final ConcurrentLinkedQueue<Hollow> started = new ConcurrentLinkedQueue<>();
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicLong beats = new AtomicLong();
  private volatile boolean running = true;

  /**
   * @param manager the manager's cluster address (HOST:PORT)
   * @param prefix node names are {@code PREFIX-00001} …
   * @param firstIndex the first node's number, so several sim processes can share one cluster
   * @param containersPerNode containers each hollow engine starts with (running, accounted)
   * @param port each node's engine proxy listens on its own address {@code 127.X.Y.Z} at this port
   */
  public record Options(String manager, String token, int nodes, String prefix, int firstIndex, int cpus, long memoryBytes,
                        int containersPerNode, int port) {}

  /** One hollow node: its engine, the proxy managers reach it by, and its held connection to the manager for its beats. */
  private record Hollow(String name, String host, HeldConnection cluster, FakeEngine engine, EngineProxy proxy) {}

  private HollowNodes() {}

  /** Joins and starts every node, saying how far it got about once a second. Fails on the first refused join. */
  public static HollowNodes start(Options o, Consumer<String> progress) {
    JoinToken token = JoinToken.parse(o.token());
    HollowNodes sim = new HollowNodes();
    SSLContext pinned = Tls.pinned(token.caFingerprint()); // one for all joins: building one costs more than a join
    Semaphore joins = new Semaphore(PARALLEL_JOINS);
    AtomicInteger joined = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    Thread reporter = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        progress.accept("joined " + joined.get() + "/" + o.nodes() + ", registered " + sim.registered.get());
      }
    });
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < o.nodes(); i++) {
        int index = o.firstIndex() + i;
        pool.submit(() -> {
          try {
            joins.acquire();
            try {
              if (!failures.isEmpty()) return;
              sim.startOne(o, token, pinned, index);
              joined.incrementAndGet();
            } finally {
              joins.release();
            }
          } catch (IOException | RuntimeException | InterruptedException e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        });
      }
    } finally {
      reporter.interrupt();
    }
    if (!failures.isEmpty()) {
      sim.close();
      throw new IllegalStateException("hollow node failed to start: " + failures.get(0).getMessage(), failures.get(0));
    }
    progress.accept("joined " + joined.get() + "/" + o.nodes());
    return sim;
  }

  public int registered() {
    return registered.get();
  }

  /** Registrations and heartbeats the manager answered, over all nodes. */
  public long beats() {
    return beats.get();
  }

  /** Connections the nodes opened to the manager for their beats: one each, and one per reopening after a failure. */
  public long connectionsOpened() {
    return started.stream().mapToLong(h -> h.cluster().opened()).sum();
  }

  /** The loopback address of node {@code index}: 127.1.0.1, 127.1.0.2 … (never the 127.0.0.x of real test engines). */
  static String host(int index) {
    return "127." + (1 + index / (250 * 250)) + "." + (index / 250 % 250) + "." + (index % 250 + 1);
  }

  private void startOne(Options o, JoinToken token, SSLContext pinned, int index) throws IOException {
    String name = String.format("%s-%05d", o.prefix(), index);
    String host = host(index);
    Identity identity = null;
    for (int attempt = 1; identity == null; attempt++) {
      try {
        identity = join(o.manager(), pinned, token, name, host);
      } catch (Refused e) {
        throw e; // the manager said no (a wrong token, a name in use): trying again will not change that
      } catch (IOException e) {
        if (attempt == JOIN_ATTEMPTS) throw e;
        log.info("hollow-join-retry node={} attempt={}: {}", name, attempt, e.getMessage());
        try {
          Thread.sleep(500L << attempt); // a manager this busy needs a moment, not more load
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", x);
        }
      }
    }
    FakeEngine engine = FakeEngine.builder().name(name).cpus(o.cpus()).memoryBytes(o.memoryBytes()).labels(Map.of("hollow", "true")).build();
    engine.addImage("berth/busybox:1");
    for (int c = 0; c < o.containersPerNode(); c++) {
      String id = engine.create(new ContainerSpec(name + "-c" + c, "berth/busybox:1", List.of("sleep", "1000000"), List.of(),
          Map.of("sim", "true"), 0, 0, Map.of(), ""));
      engine.start(id);
    }
    FakeDockerServer docker = new FakeDockerServer(engine);
    SSLContext tls = identity.sslContext();
    EngineProxy proxy = EngineProxy.start(new InetSocketAddress(host, o.port()), tls, docker::serve);
    Hollow h = new Hollow(name, host, new HeldConnection(o.manager(), tls), engine, proxy);
    started.add(h);
    Thread.ofVirtual().name("hollow-" + name).start(() -> heartbeat(o, h));
  }

  /** Agent's join, on a connection of its own (it has no certificate yet; its beats will present one). */
  private static Identity join(String manager, SSLContext pinned, JoinToken token, String name, String host) throws IOException {
    KeyPair pair = ClusterCa.newKeyPair();
    byte[] answer;
    try (HeldConnection once = new HeldConnection(manager, pinned)) {
      answer = once.post("/v1/cluster/join", Json.bytes(new JoinRequest(token.toString(), name,
          Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()), List.of(host))));
    }
    JoinResponse r = Json.read(answer, JoinResponse.class);
    return new Identity(pair.getPrivate(), Pem.parseCertificate(r.certificate()), Pem.parseCertificate(r.ca()));
  }

  /** Registers, then heartbeats at the interval the manager asks for, on the node's held connection (reopened after a failure). */
  private void heartbeat(Options o, Hollow h) {
    boolean isRegistered = false;
    long interval = 3000;
    var info = h.engine().info();
    Registration reg = new Registration(h.host() + ":" + o.port(), new EngineFacts(info.serverVersion(), info.apiVersion(),
        info.operatingSystem(), info.kernelVersion(), info.storageDriver(), info.architecture(), info.cpus(), info.memoryBytes()),
        info.labels());
    while (running) {
      try {
        Heartbeat hb = Json.read(isRegistered ? h.cluster().post("/v1/cluster/heartbeat", "{}".getBytes())
            : h.cluster().post("/v1/cluster/register", Json.bytes(reg)), Heartbeat.class);
        beats.incrementAndGet();
        if (!isRegistered) registered.incrementAndGet();
        isRegistered = true;
        interval = hb.intervalMillis();
      } catch (Refused e) {
        if (e.status() == 404 && isRegistered) {
          isRegistered = false;
          registered.decrementAndGet();
          continue;
        }
        log.debug("hollow-heartbeat-refused node={}: {}", h.name(), e.getMessage());
      } catch (IOException | RuntimeException e) {
        log.debug("hollow-heartbeat-failed node={}: {}", h.name(), e.getMessage());
      }
      try {
        // The first beat lands anywhere in the interval, so thousands of nodes do not beat together.
        Thread.sleep(isRegistered ? interval : ThreadLocalRandom.current().nextLong(interval / 2 + 1) + interval / 2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    for (Hollow h : started) {
      h.proxy().close();
      h.cluster().close();
    }
  }
}
