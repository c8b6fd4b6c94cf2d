package io.berth.manager.docker;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the Docker endpoint with {@code --docker-tls}: a server certificate from the cluster CA
 * (so a bundle's {@code ca.pem} verifies it) naming the hosts the endpoint is reached at, and
 * client certificates required, trusted when the cluster CA signed them (bundles) or the
 * operator's own CA did ({@code --tlscacert}: administrators).
 */
public final class EndpointTls {
  private static final char[] NO_PASSWORD = new char[0];
  private static final Duration VALIDITY = Duration.ofDays(365);

  private EndpointTls() {}

  /** The context; {@code operatorCa} may be null. A manager makes a new server certificate every start. */
  public static SSLContext context(ClusterCa ca, InetSocketAddress docker, Path operatorCa, Instant now) {
    try {
      Identity server = identity(ca, hosts(docker), now);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("docker", server.key(), NO_PASSWORD, new Certificate[] {server.certificate(), ca.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, NO_PASSWORD);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("cluster-ca", ca.certificate());
      if (operatorCa != null) {
        int i = 0;
        for (Certificate c : read(operatorCa)) ts.setCertificateEntry("operator-ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot set up TLS for the Docker endpoint: " + e.getMessage(), e);
    }
  }

  static Identity identity(ClusterCa ca, List<String> hosts, Instant now) {
    KeyPair pair = ClusterCa.newKeyPair();
    X509Certificate cert = ca.issue(pair.getPublic(), "berth-docker-endpoint", Role.MANAGER, hosts, VALIDITY, now);
    return new Identity(pair.getPrivate(), cert, ca.certificate());
  }

  /** The names a client may reach the endpoint by: its address, localhost, and every IPv4 address of the machine when it listens on all. */
  static List<String> hosts(InetSocketAddress docker) {
    Set<String> out = new LinkedHashSet<>();
    InetAddress a = docker.getAddress();
    if (a != null && !a.isAnyLocalAddress()) {
      out.add(a instanceof Inet4Address ? a.getHostAddress() : docker.getHostString());
    } else {
      try {
        out.add(InetAddress.getLocalHost().getHostName());
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress ia : Collections.list(n.getInetAddresses())) if (ia instanceof Inet4Address) out.add(ia.getHostAddress());
        }
      } catch (IOException e) {
        // localhost and 127.0.0.1 still
      }
    }
    if (!docker.getHostString().isEmpty() && !docker.getHostString().matches("[0-9.:]+")) out.add(docker.getHostString());
    out.add("localhost");
    out.add("127.0.0.1");
    return new ArrayList<>(out);
  }

  private static List<Certificate> read(Path file) throws IOException, GeneralSecurityException {
    if (!Files.isReadable(file)) throw new IOException(file + " is not readable");
    try (InputStream in = Files.newInputStream(file)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }
}
