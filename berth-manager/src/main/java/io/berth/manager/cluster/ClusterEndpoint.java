package io.berth.manager.cluster;

import io.berth.cluster.BerthVersion;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Peers;
import io.berth.cluster.Pem;
import io.berth.cluster.Role;
import io.berth.cluster.pulse.Pulse;
import io.berth.cluster.wire.BuildReport;
import io.berth.cluster.wire.Heartbeat;
import io.berth.cluster.wire.InstanceReports;
import io.berth.cluster.wire.JoinRequest;
import io.berth.cluster.wire.JoinResponse;
import io.berth.cluster.wire.MetricsBatch;
import io.berth.cluster.wire.Registration;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.NodeNames;
import io.berth.manager.activity.Activity;
import io.berth.manager.build.Builds;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.lrp.Lrps;
import io.berth.manager.node.NodeRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The manager's cluster address (2377): a node joins once with the join token and gets a
 * certificate; from then on it registers and heartbeats with that certificate (mutual TLS), and
 * its name is the certificate's, never what it claims in a body.
 */
public final class ClusterEndpoint {
  static final Duration NODE_CERT_VALIDITY = Duration.ofDays(365);
  private final ClusterSecrets secrets;
  private final NodeRegistry nodes;
  private final Activity activity;
  private final Clock clock;
  private final Lrps lrps;
  static final Duration LONG_POLL = Duration.ofSeconds(25);
  private BiConsumer<String, MetricsBatch> metrics;
  private Supplier<List<String>> managers = List::of;
  private String version = BerthVersion.running();
  private Builds builds;

  public ClusterEndpoint(ClusterSecrets secrets, NodeRegistry nodes, Activity activity, Clock clock) {
    this(secrets, nodes, activity, clock, null);
  }

  /** An endpoint that also streams each node its assignments and takes its instance reports. */
  public ClusterEndpoint(ClusterSecrets secrets, NodeRegistry nodes, Activity activity, Clock clock, Lrps lrps) {
    this.secrets = secrets;
    this.nodes = nodes;
    this.activity = activity;
    this.clock = clock;
    this.lrps = lrps;
  }

  /** Takes agents' metrics batches ({@code POST /v1/cluster/metrics}) into {@code sink}, with the node named by the certificate. */
  public ClusterEndpoint metrics(BiConsumer<String, MetricsBatch> sink) {
    this.metrics = sink;
    return this;
  }

  /** Hands build nodes their jobs ({@code GET /v1/cluster/build-jobs}) and takes their reports ({@code POST /v1/cluster/build-report}). */
  public ClusterEndpoint builds(Builds b) {
    this.builds = b;
    return this;
  }

  /**
   * Names, in the register and heartbeat answers of agents that ask ({@code ?managers=true}), the
   * cluster addresses ({@code HOST:PORT}) of the managers an agent may move to when this one stops
   * answering. Only on request: an older agent rejects a field it does not know.
   */
  public ClusterEndpoint managers(Supplier<List<String>> addresses) {
    this.managers = addresses;
    return this;
  }

  /** Judges agents' versions as a manager of {@code version} would (tests; the jar's own otherwise). */
  ClusterEndpoint version(String version) {
    this.version = version;
    return this;
  }

  public Routes routes() {
    Routes routes = new Routes(this::guard)
        .post("/v1/cluster/join", r -> join(r.body(JoinRequest.class), r.remoteAddress()))
        .post("/v1/cluster/register", r -> withManagers(r, register(NodeName.of(node(r).name()), nodeId(r), r.body(Registration.class))))
        .post("/v1/cluster/heartbeat", r -> withManagers(r, nodes.heartbeat(NodeName.of(node(r).name()))))
        .get("/v1/cluster/pulse", r -> pulse());
    if (metrics != null) {
      routes.post("/v1/cluster/metrics", r -> {
        metrics.accept(node(r).name(), r.body(MetricsBatch.class));
        return null;
      });
    }
    if (builds != null) {
      routes.get("/v1/cluster/build-jobs", r -> waiting(() -> builds.poll(node(r).name(), after(r), LONG_POLL)))
          .post("/v1/cluster/build-report", r -> {
            builds.report(node(r).name(), r.body(BuildReport.class));
            return null;
          });
    }
    if (lrps == null) return routes;
    return routes
        .get("/v1/cluster/assignments", r -> waiting(() -> lrps.poll(node(r).name(), after(r), LONG_POLL)))
        .post("/v1/cluster/instances", r -> {
          lrps.report(node(r).name(), r.body(InstanceReports.class).reports());
          return null;
        });
  }

  Heartbeat register(NodeName name, String nodeId, Registration registration) {
    BerthVersion.refusal(version, "agent", registration.version()).ifPresent(why -> {
      throw new BerthException.Conflict("VersionSkew", "node " + name + ": " + why);
    });
    return nodes.register(name, nodeId, registration);
  }

  /** A long poll's wait. */
  @FunctionalInterface
  private interface Wait {
    Object answer() throws InterruptedException;
  }

  private static Object waiting(Wait w) {
    try {
      return w.answer();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException.Unavailable("the manager is stopping");
    }
  }

  /**
   * A pulse: a newline every {@link Pulse#EVERY} until the caller goes. Agents hear it here
   * ({@code GET /v1/cluster/pulse}), routers on the Berth API ({@code GET /v1/pulse}); one that
   * hears none for {@link Pulse#SILENCE} leaves this manager.
   */
  public static Routes.Stream pulse() {
    return new Routes.Stream("text/plain", out -> pulse(out, Pulse.EVERY));
  }

  /**
   * Writes a newline every {@code every} until the agent goes or the manager stops: one small write
   * per node and pulse, no request and no store access, so an agent can tell a manager that hangs
   * (process stopped, connections open) within a second or so without renewing its lease that often.
   */
  static void pulse(OutputStream out, Duration every) throws IOException {
    try {
      while (true) {
        out.write('\n');
        out.flush();
        Thread.sleep(every);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Heartbeat withManagers(Request r, Heartbeat answer) {
    return r.query("managers").isPresent() ? answer.withManagers(managers.get()) : answer;
  }

  private static long after(Request r) {
    String s = r.query("after").orElse("0");
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("after: must be a store revision, got '" + s + "'");
    }
  }

  private void guard(Request r) {
    if (r.path().equals("/v1/cluster/join")) return;
    node(r);
  }

  private static Peers.Peer node(Request r) {
    Peers.Peer p = r.peer().orElseThrow(() -> new BerthException.Unauthorized(
        "a node certificate is required: join first with 'berth join --token …'"));
    if (p.role() != Role.NODE) throw new BerthException.Forbidden("only nodes may call " + r.path());
    return p;
  }

  private static String nodeId(Request r) {
    return r.peer().map(Peers.Peer::id).orElseThrow();
  }

  JoinResponse join(JoinRequest req, String from) {
    JoinToken presented;
    try {
      presented = JoinToken.parse(req.token());
    } catch (IllegalArgumentException e) {
      throw new BerthException.Unauthorized(e.getMessage());
    }
    if (!presented.caFingerprint().equals(secrets.joinToken().caFingerprint()) || !presented.secretMatches(secrets.joinToken())) {
      activity.record("node-join-refused", "node/" + req.name(), "join refused from " + from + ": wrong join token");
      throw new BerthException.Unauthorized("wrong join token: get the right one with 'berth join-token' on the manager");
    }
    BerthVersion.refusal(version, "agent", req.version()).ifPresent(why -> {
      activity.record("node-join-refused", "node/" + req.name(), "join refused from " + from + ": " + why);
      throw new BerthException.Conflict("VersionSkew", why);
    });
    NodeName name;
    try {
      name = NodeName.of(NodeNames.check(req.name()));
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid(e.getMessage());
    }
    if (nodes.isLive(name)) {
      throw new BerthException.Conflict("NodeNameInUse", "node name " + name + " is in use by a ready node: choose another --name");
    }
    for (String h : req.hosts()) {
      if (!h.matches("[A-Za-z0-9.:-]{1,253}")) throw new BerthException.Invalid("hosts: not an IP address or DNS name: " + h);
    }
    X509Certificate cert = secrets.ca().issue(publicKey(req.publicKey()), name.value(), Role.NODE, req.hosts(), NODE_CERT_VALIDITY, clock.instant());
    return new JoinResponse(name.value(), Pem.certificate(cert), Pem.certificate(secrets.ca().certificate()));
  }

  private static PublicKey publicKey(String pem) {
    try {
      X509EncodedKeySpec spec = new X509EncodedKeySpec(Pem.decode(pem, "PUBLIC KEY"));
      try {
        return KeyFactory.getInstance("EC").generatePublic(spec);
      } catch (GeneralSecurityException e) {
        return KeyFactory.getInstance("RSA").generatePublic(spec);
      }
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      throw new BerthException.Invalid("public_key is not a PEM EC or RSA public key");
    }
  }
}
