package io.berth.manager.bundle;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Pem;
import io.berth.cluster.Role;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.store.StateStore;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Client bundles, as Docker UCP made them: a key and a certificate the cluster CA signs for one
 * user ({@code OU=user}, {@code CN=} the user), which the Docker endpoint with {@code --docker-tls}
 * takes as that user. Each is recorded by serial so it can be listed and revoked; the key is
 * answered once, when made, and kept nowhere. A user may make, list and revoke their own bundles;
 * an administrator anyone's.
 */
public final class Bundles {
  /** How long a bundle is good for: about as long as a laptop is. */
  static final Duration VALIDITY = Duration.ofDays(365);
  private final BundleStore store;
  private final ClusterCa ca;
  private final Access access;
  private final Clock clock;
  private volatile InetSocketAddress docker;
  private volatile boolean dockerTls;

  public Bundles(StateStore store, ClusterCa ca, Access access, Clock clock) {
    this.store = new BundleStore(store);
    this.ca = ca;
    this.access = access;
    this.clock = clock;
  }

  /** Where the Docker endpoint listens (its real port) and whether over TLS with bundles, for the bundles' env.sh. */
  public void dockerAt(InetSocketAddress address, boolean tls) {
    this.docker = address;
    this.dockerTls = tls;
  }

  /** The CA that signs bundles: the cluster's. */
  public X509Certificate ca() {
    return ca.certificate();
  }

  /** Throws a 401 unless {@code serial} is a bundle of this cluster for {@code user} that is neither revoked nor expired. */
  public void check(String serial, String user) {
    BundleStore.Bundle b = store.find(serial).orElseThrow(() -> new BerthException.Unauthorized(
        "bundle " + serial + " is not one this cluster issued (or it was deleted): get a new one with 'berth bundle'"));
    if (!b.user().equals(user)) throw new BerthException.Unauthorized("bundle " + serial + " is not " + user + "'s");
    if (b.revoked()) throw new BerthException.Unauthorized("bundle " + serial + " of " + user + " was revoked: get a new one with 'berth bundle'");
    if (!b.expiresAt().isAfter(clock.instant())) throw new BerthException.Unauthorized("bundle " + serial + " of " + user + " has expired");
  }

  /** {@code POST /v1/bundles} {"user"?}, {@code GET /v1/bundles[?user=U]}, {@code DELETE /v1/bundles/{serial}}. */
  public Routes addApiRoutes(Routes r) {
    return r
        .post("/v1/bundles", req -> {
          String user = req.optionalBody(IssueRequest.class).map(IssueRequest::user).orElse(null);
          return Routes.Reply.json(201, issue(caller(req), user, hostOf(req)));
        })
        .get("/v1/bundles", req -> list(caller(req), req.query("user")))
        .delete("/v1/bundles/{serial}", req -> {
          revoke(caller(req), req.param("serial"));
          return null;
        });
  }

  /** {@code POST /v1/bundles}: {@code user} absent means the caller's own. */
  record IssueRequest(String user) {}

  /** A new bundle: the only time its key is answered. */
  public record Issued(String serial, String user, Instant createdAt, Instant expiresAt, String caPem, String certPem, String keyPem,
                String dockerHost, boolean dockerTls) {}

  /** A bundle as listed: never its key. */
  public record Listed(String serial, String user, Instant createdAt, String createdBy, Instant expiresAt, boolean revoked) {}

  public Issued issue(Principal caller, String user, String apiHost) {
    String who = user == null || user.isBlank() ? caller.user() : user.trim();
    requireSignedIn(caller);
    if (!caller.admin() && !who.equals(caller.user())) {
      throw new BerthException.Forbidden(caller.user() + " may not make a bundle for " + who + ": only administrators make other users' bundles");
    }
    if (!who.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")) throw new BerthException.Invalid("user: not a user name: '" + who + "'");
    Instant now = clock.instant();
    KeyPair pair = ClusterCa.newKeyPair();
    X509Certificate cert = ca.issue(pair.getPublic(), who, Role.USER, List.of(), VALIDITY, now);
    String serial = cert.getSerialNumber().toString(16);
    BundleStore.Bundle b = new BundleStore.Bundle(serial, who, now, caller.user(), cert.getNotAfter().toInstant(), null, null);
    store.put(b);
    try {
      access.certificateUser(who, serial); // the user exists (an Access may also look at the record just written)
    } catch (BerthException.Unauthorized e) {
      store.delete(serial);
      throw new BerthException.NotFound("UserNotFound", "no such user: " + who);
    }
    InetSocketAddress d = docker;
    String host = d == null ? "" : "tcp://" + (d.getAddress() == null || d.getAddress().isAnyLocalAddress() ? apiHost : d.getHostString()) + ":" + d.getPort();
    return new Issued(serial, who, now, b.expiresAt(), Pem.certificate(ca.certificate()), Pem.certificate(cert), Pem.privateKey(pair.getPrivate()),
        host, dockerTls);
  }

  public List<Listed> list(Principal caller, Optional<String> user) {
    requireSignedIn(caller);
    return store.list().stream()
        .filter(b -> caller.admin() ? user.map(b.user()::equals).orElse(true) : b.user().equals(caller.user()))
        .sorted(Comparator.comparing(BundleStore.Bundle::createdAt))
        .map(b -> new Listed(b.serial(), b.user(), b.createdAt(), b.createdBy(), b.expiresAt(), b.revoked()))
        .toList();
  }

  public void revoke(Principal caller, String serial) {
    requireSignedIn(caller);
    BundleStore.Bundle b = store.find(serial.toLowerCase(Locale.ROOT))
        .filter(x -> caller.admin() || x.user().equals(caller.user()))
        .orElseThrow(() -> new BerthException.NotFound("NoSuchBundle", "no such bundle: " + serial + " ('berth bundle ls' lists them)"));
    if (b.revoked()) return;
    store.put(new BundleStore.Bundle(b.serial(), b.user(), b.createdAt(), b.createdBy(), b.expiresAt(), clock.instant(), caller.user()));
  }

  private static void requireSignedIn(Principal caller) {
    if (caller.isAnonymous()) throw new BerthException.Unauthorized("sign in first: bundles are made for users");
  }

  /** The caller as the API's guard found them, or (a guard that only checks the admin token) as its header says. */
  private Principal caller(Request req) {
    Principal p = req.principal();
    return p.isAnonymous() ? access.caller(req.header("Authorization"), req.remoteAddress()) : p;
  }

  /** The host the client reached the API at: where it can reach a Docker endpoint listening on every address. */
  private static String hostOf(Request req) {
    String h = req.header("Host").orElse("127.0.0.1");
    if (h.startsWith("[")) return h.substring(0, h.indexOf(']') + 1);
    int colon = h.lastIndexOf(':');
    return colon > 0 ? h.substring(0, colon) : h;
  }
}
