package io.berth.manager.http.lean;

import com.sun.net.httpserver.HttpHandler;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.cluster.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** One cluster CA for the lean server's tests: the manager's identity, a node's, and clients with and without a certificate. */
final class LeanTls {
  static final ClusterCa CA = ClusterCa.create("lean-test", Instant.now());
  static final Identity MANAGER = CA.newIdentity("manager1", Role.MANAGER, Duration.ofDays(1), Instant.now());
  static final Identity NODE = CA.newIdentity("node1", Role.NODE, Duration.ofDays(1), Instant.now());
  /** Trusts the CA but presents no certificate. */
  static final SSLContext ANONYMOUS = Tls.pinned(CA.fingerprint());

  private LeanTls() {}

  static LeanServer start(HttpHandler handler, Duration idle) throws IOException {
    return LeanServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MANAGER.sslContext(), handler, idle);
  }

  /** The JDK's client, as the agent builds it (TLS 1.3, HTTP/1.1), presenting {@code tls}'s certificate if any. */
  static HttpClient client(SSLContext tls) {
    SSLParameters p = tls.getDefaultSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    return HttpClient.newBuilder().sslContext(tls).sslParameters(p).version(HttpClient.Version.HTTP_1_1).build();
  }

  static URI uri(LeanServer server, String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }
}
