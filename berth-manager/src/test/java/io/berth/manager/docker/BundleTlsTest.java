package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.Pem;
import io.berth.cluster.Role;
import io.berth.core.identity.Principal;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.activity.Activity;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint with --docker-tls: a bundle's ca.pem verifies it, its cert and key get in as its user, and only while it is good. */
class BundleTlsTest {
  final ClusterCa ca = ClusterCa.create("test", Instant.now());
  final ClusterCa operator = ClusterCa.create("operator", Instant.now());
  final TestAccess access = new TestAccess().user("alice", "tok-alice");
  @TempDir Path dir;
  StateStore store;
  NodeRegistry nodes;
  Bundles bundles;
  DockerEndpoint endpoint;
  Fleet fleet;

  @BeforeEach
  void start() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    nodes.start();
    bundles = new Bundles(store, ca, access, Clock.systemUTC());
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    fleet = Fleet.start(nodes, null, null);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(List.of(), Strategy.SPREAD, new Random(1)), "test", access);
    Path operatorCa = dir.resolve("operator-ca.pem");
    try {
      Files.writeString(operatorCa, Pem.certificate(operator.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    endpoint = DockerEndpoint.start(at, routes, EndpointTls.context(ca, at, operatorCa, Instant.now()), true, bundles);
  }

  @AfterEach
  void stop() {
    endpoint.close();
    fleet.close();
    nodes.close();
    store.close();
  }

  @Test
  void aBundleGetsInAsItsUserUntilRevoked() throws Exception {
    Bundles.Issued b = bundles.issue(Principal.adminToken(), "alice", "127.0.0.1");
    SSLContext client = new Identity(Pem.parsePrivateKey(b.keyPem()), Pem.parseCertificate(b.certPem()), Pem.parseCertificate(b.caPem()))
        .sslContext();
    assertThat(get(client, "/_ping").statusCode()).isEqualTo(200);
    assertThat(get(client, "/containers/json").body()).isEqualTo("[]");
    bundles.revoke(Principal.adminToken(), b.serial());
    HttpResponse<String> refused = get(client, "/containers/json");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("{\"message\":\"bundle " + b.serial() + " of alice was revoked: get a new one with 'berth bundle'\"}");
  }

  @Test
  void aNodesCertificateIsNoBundleAndNoCertificateIsNoEntry() throws Exception {
    Identity node = ca.newIdentity("node1", Role.NODE, Duration.ofDays(1), Instant.now());
    assertThat(get(node.sslContext(), "/containers/json").statusCode()).isEqualTo(401);
    SSLContext none = SSLContext.getInstance("TLSv1.3");
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca.certificate());
    tmf.init(ts);
    none.init(null, tmf.getTrustManagers(), null);
    assertThatThrownBy(() -> get(none, "/_ping")).isInstanceOf(IOException.class);
  }

  @Test
  void aCertificateOfTheOperatorsCaIsAnAdministrator() throws Exception {
    Identity ops = operator.newIdentity("ops", Role.USER, Duration.ofDays(1), Instant.now());
    // It trusts the endpoint by the cluster CA (what it was served with), and presents the operator CA's certificate.
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("ops", ops.key(), new char[0], new Certificate[] {ops.certificate()});
    kmf.init(ks, new char[0]);
    tls.init(kmf.getKeyManagers(), trusting(ca.certificate()), null);
    try (HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + endpoint.port() + "/v1.41/containers/prune"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !access.audit.isEmpty());
    assertThat(access.audit).singleElement().satisfies(e -> {
      assertThat(e.user()).isEqualTo("ops");
      assertThat(e.via()).isEqualTo("cert");
    });
  }

  private static TrustManager[] trusting(X509Certificate ca) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    tmf.init(ts);
    return tmf.getTrustManagers();
  }

  private HttpResponse<String> get(SSLContext tls, String path) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build()) {
      return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + endpoint.port() + "/v1.41" + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
