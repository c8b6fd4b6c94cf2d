package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTlsTest {
  private static final Instant NOW = Instant.now();
  private static final ClusterCa CA = ClusterCa.create("test", NOW);
  private static final ClusterCa OTHER_CA = ClusterCa.create("other", NOW);
  private SSLServerSocket server;

  @AfterEach
  void closeServer() throws IOException {
    if (server != null) server.close();
  }

  @Test
  void peersOfOneClusterShakeHandsAndKnowEachOthersNameAndRole() throws Exception {
    Identity manager = CA.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), NOW);
    Identity node = CA.newIdentity("n1", Role.NODE, Duration.ofDays(1), NOW);
    CompletableFuture<Peers.Peer> seenByServer = serve(manager.sslContext(), s -> Peers.of(s.getSession()).orElseThrow());
    try (SSLSocket c = connect(node.sslContext())) {
      c.startHandshake();
      assertThat(Peers.of(c.getSession()).orElseThrow()).extracting(Peers.Peer::name, Peers.Peer::role).containsExactly("m1", Role.MANAGER);
    }
    assertThat(seenByServer.get(5, TimeUnit.SECONDS)).extracting(Peers.Peer::name, Peers.Peer::role).containsExactly("n1", Role.NODE);
  }

  @Test
  void aCertificateFromAnotherClusterIsRefused() throws Exception {
    Identity manager = CA.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), NOW);
    Identity stranger = OTHER_CA.newIdentity("n1", Role.NODE, Duration.ofDays(1), NOW);
    serve(manager.sslContext(), s -> null);
    assertThatThrownBy(() -> {
      try (SSLSocket c = connect(stranger.sslContext())) {
        c.startHandshake();
        c.getInputStream().read(); // TLS 1.3 reports the server's refusal on the first read
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void aPinnedClientTrustsOnlyTheClusterItsTokenNames() throws Exception {
    Identity manager = CA.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), NOW);
    serve(manager.sslContext(), s -> null);
    server.setWantClientAuth(true); // as the cluster endpoint: joining nodes have no certificate yet
    try (SSLSocket c = connect(Tls.pinned(CA.fingerprint()))) {
      c.startHandshake();
      assertThat(c.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    assertThatThrownBy(() -> {
      try (SSLSocket c = connect(Tls.pinned(OTHER_CA.fingerprint()))) {
        c.startHandshake();
      }
    }).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("does not match the join token");
  }

  @Test
  void halfCloseLetsTheOtherSideFinishWriting() throws Exception {
    // The engine proxy relies on this: the client ends its input, the server still answers.
    Identity manager = CA.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), NOW);
    Identity node = CA.newIdentity("n1", Role.NODE, Duration.ofDays(1), NOW);
    serve(node.sslContext(), s -> {
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes(); // returns only on the client's half-close
      OutputStream out = s.getOutputStream();
      out.write(("got " + new String(all, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      out.flush();
      s.shutdownOutput();
      return null;
    });
    try (SSLSocket c = connect(manager.sslContext())) {
      c.getOutputStream().write("hi".getBytes(StandardCharsets.UTF_8));
      c.getOutputStream().flush();
      c.shutdownOutput();
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got hi");
    }
  }

  @Test
  void joinTokensRoundTripAndRejectMalformedText() {
    JoinToken t = JoinToken.generate(CA.fingerprint());
    assertThat(JoinToken.parse(t.toString())).isEqualTo(t);
    assertThat(t.secretMatches(JoinToken.parse(t.toString()))).isTrue();
    assertThat(t.secretMatches(JoinToken.generate(CA.fingerprint()))).isFalse();
    assertThatThrownBy(() -> JoinToken.parse("SWMTKN-1-abc")).hasMessageContaining("expected BERTH-1-");
  }

  @Test
  void identitiesSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
    Identity node = CA.newIdentity("n7", Role.NODE, Duration.ofDays(1), NOW);
    node.save(dir);
    Identity back = Identity.load(dir).orElseThrow();
    assertThat(back.name()).isEqualTo("n7");
    assertThat(back.certificate()).isEqualTo(node.certificate());
    assertThat(Files.getPosixFilePermissions(dir.resolve("key.pem")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }

  interface ServerSide<T> {
    T handle(SSLSocket s) throws Exception;
  }

  private <T> CompletableFuture<T> serve(SSLContext ctx, ServerSide<T> side) throws IOException {
    server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    server.setEnabledProtocols(new String[] {"TLSv1.3"});
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.startHandshake();
          result.complete(side.handle(s));
        } catch (Exception e) {
          result.completeExceptionally(e);
        }
      }
    });
    return result;
  }

  private SSLSocket connect(SSLContext ctx) throws IOException {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.setSoTimeout(5000);
    return s;
  }
}
