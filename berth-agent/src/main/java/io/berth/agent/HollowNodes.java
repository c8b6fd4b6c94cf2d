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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
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
 * <p>Heartbeats open a connection each (TLS sessions are resumed), so a thousand idle nodes do not
 * hold a thousand connections to the manager.
 */
public final class HollowNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);
  private static final int PARALLEL_JOINS = 8;
  private static final int JOIN_ATTEMPTS = 6;
  private final ConcurrentLinkedQueue<Hollow> started = new ConcurrentLinkedQueue<>();
  private final AtomicInteger registered = new AtomicInteger();
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

  /** One hollow node; {@code tls} is built once (building one costs more than a handshake, and sessions resume only within one). */
  private record Hollow(String name, String host, SSLContext tls, FakeEngine engine, EngineProxy proxy) {}

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
    Hollow h = new Hollow(name, host, tls, engine, proxy);
    started.add(h);
    Thread.ofVirtual().name("hollow-" + name).start(() -> heartbeat(o, h));
  }

  /** Agent's join, on the client below (an HttpClient per node would cost a thread each). */
  private static Identity join(String manager, SSLContext pinned, JoinToken token, String name, String host) throws IOException {
    KeyPair pair = ClusterCa.newKeyPair();
    byte[] answer = post(manager, pinned, "/v1/cluster/join", Json.bytes(new JoinRequest(token.toString(), name,
        Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()), List.of(host))));
    JoinResponse r = Json.read(answer, JoinResponse.class);
    return new Identity(pair.getPrivate(), Pem.parseCertificate(r.certificate()), Pem.parseCertificate(r.ca()));
  }

  /** Registers, then heartbeats at the interval the manager asks for, each on a fresh connection. */
  private void heartbeat(Options o, Hollow h) {
    boolean isRegistered = false;
    long interval = 3000;
    var info = h.engine().info();
    Registration reg = new Registration(h.host() + ":" + o.port(), new EngineFacts(info.serverVersion(), info.apiVersion(),
        info.operatingSystem(), info.kernelVersion(), info.storageDriver(), info.architecture(), info.cpus(), info.memoryBytes()),
        info.labels());
    while (running) {
      try {
        Heartbeat hb = Json.read(isRegistered ? post(o.manager(), h.tls(), "/v1/cluster/heartbeat", "{}".getBytes())
            : post(o.manager(), h.tls(), "/v1/cluster/register", Json.bytes(reg)), Heartbeat.class);
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

  /**
   * One POST on its own TLS 1.3 connection ({@code Connection: close}), on the JDK's client as the
   * agent's own {@code ManagerClient} does but without an HttpClient per node, which would cost a
   * thread each; the answer's body, or {@link Refused}.
   */
  private static byte[] post(String manager, SSLContext tls, String path, byte[] body) throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) URI.create("https://" + manager + path).toURL().openConnection();
    try {
      c.setSSLSocketFactory(tls.getSocketFactory());
      c.setConnectTimeout(5000);
      c.setReadTimeout(30_000);
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Connection", "close");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int code = c.getResponseCode();
      if (code / 100 == 2) {
        try (InputStream in = c.getInputStream()) {
          return in.readAllBytes();
        }
      }
      byte[] answer;
      try (InputStream in = c.getErrorStream()) {
        answer = in == null ? new byte[0] : in.readAllBytes();
      }
      throw new Refused(code, Refused.reason(answer).orElse("HTTP " + code));
    } finally {
      c.disconnect();
    }
  }

  @Override
  public void close() {
    running = false;
    for (Hollow h : started) h.proxy().close();
  }
}
