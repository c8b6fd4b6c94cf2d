package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** Whole exchanges reuse kept-alive connections, and a request other than a GET is never sent twice. */
class NodeLinkTest {
  private static final byte[] BODY = "{\"Image\":\"busybox\"}".getBytes();
  private final NodeLink link = new NodeLink(null, null);

  @Test
  void postsReuseAKeptAliveConnection() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out, ScriptedEngine.CREATED))) {
      Node node = engine.node(NodeAccess.ENGINE);
      assertThat(link.call(node, "POST", "/v1.41/containers/create", BODY).status()).isEqualTo(201);
      assertThat(link.call(node, "POST", "/v1.41/containers/create", BODY).status()).isEqualTo(201);
      assertThat(engine.connections).hasValue(1);
      assertThat(engine.requests).hasSize(2);
    }
  }

  @Test
  void anAnswerWithoutABodyIsReadWithoutWaitingForTheEndAndKeepsTheConnection() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out, ScriptedEngine.NO_CONTENT))) {
      Node node = engine.node(NodeAccess.ENGINE);
      assertThat(link.call(node, "POST", "/v1.41/containers/c1/start", new byte[0]).status()).isEqualTo(204);
      assertThat(link.call(node, "POST", "/v1.41/containers/c2/start", new byte[0]).body()).isEmpty();
      assertThat(engine.connections).hasValue(1);
    }
  }

  @Test
  void aConnectionTheNodeClosedWhileIdleIsNotUsedForAPost() throws Exception {
    // The first answer is kept-alive by its headers, but the engine closes the connection after it.
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out, ScriptedEngine.CREATED) && n > 0)) {
      Node node = engine.node(NodeAccess.ENGINE);
      link.call(node, "GET", "/v1.41/version", null);
      assertThat(engine.closed.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(link.call(node, "POST", "/v1.41/containers/create", BODY).status()).isEqualTo(201);
      assertThat(engine.requests).containsExactly("GET /v1.41/version HTTP/1.1", "POST /v1.41/containers/create HTTP/1.1");
      assertThat(engine.connections).hasValue(2);
    }
  }

  @Test
  void aPostThatFailsOnceSentIsAnsweredWithTheFailureAndNotSentAgain() throws Exception {
    // The engine reads the create and closes without answering: it may have made the container.
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> n == 0 && ScriptedEngine.write(out, ScriptedEngine.CREATED))) {
      Node node = engine.node(NodeAccess.ENGINE);
      link.call(node, "GET", "/v1.41/version", null);
      assertThatThrownBy(() -> link.call(node, "POST", "/v1.41/containers/create", BODY))
          .isInstanceOf(BerthException.Unavailable.class).hasMessageContaining("failed mid-request");
      assertThat(engine.requests).containsExactly("GET /v1.41/version HTTP/1.1", "POST /v1.41/containers/create HTTP/1.1");
    }
  }

  @Test
  void aGetThatFailsOnAnIdleConnectionIsSentOnceMoreOnAFreshOne() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> n != 1 && ScriptedEngine.write(out, ScriptedEngine.ok("[]")))) {
      Node node = engine.node(NodeAccess.ENGINE);
      link.call(node, "GET", "/v1.41/containers/json", null);
      assertThat(link.call(node, "GET", "/v1.41/containers/json", null).status()).isEqualTo(200);
      assertThat(engine.requests).hasSize(3);
      assertThat(engine.connections).hasValue(2);
    }
  }

  @Test
  void overMutualTlsAConnectionIsReusedAndOneTheAgentClosedIsNot() throws Exception {
    Instant now = Instant.now();
    ClusterCa ca = ClusterCa.create("test", now);
    Identity manager = ca.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), now);
    Identity agent = ca.newIdentity("n1", Role.NODE, Duration.ofDays(1), now);
    SSLServerSocketFactory tls = agent.sslContext().getServerSocketFactory();
    NodeLink viaAgents = new NodeLink(manager.sslContext(), null);
    // Answers 0 and 1 kept alive; after answer 1 the agent closes (TLS close_notify, then FIN).
    try (ScriptedEngine engine = new ScriptedEngine(tls, (n, req, out) -> ScriptedEngine.write(out, ScriptedEngine.CREATED) && n != 1)) {
      Node node = engine.node(NodeAccess.AGENT);
      viaAgents.call(node, "POST", "/v1.41/containers/create", BODY);
      viaAgents.call(node, "POST", "/v1.41/containers/create", BODY);
      assertThat(engine.connections).hasValue(1);
      assertThat(engine.closed.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(viaAgents.call(node, "POST", "/v1.41/containers/create", BODY).status()).isEqualTo(201);
      assertThat(engine.requests).hasSize(3);
      assertThat(engine.connections).hasValue(2);
    }
  }

  @Test
  void aRelayedRequestTakesAnIdleConnectionAndAsksTheNodeToCloseItAfter() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out, ScriptedEngine.ok("{\"StatusCode\":0}"))
        && !"close".equals(req.header("Connection")))) {
      Node node = engine.node(NodeAccess.ENGINE);
      link.call(node, "GET", "/v1.41/version", null);
      HttpMessage wait = new HttpMessage("POST /containers/c1/wait HTTP/1.1", List.<String[]>of(new String[] {"Host", "docker"}));
      NodeLink.Upstream up = link.send(node, wait, "/v1.41/containers/c1/wait?condition=next-exit", new byte[0]);
      assertThat(up.head().status()).isEqualTo(200);
      assertThat(up.body().readAllBytes()).asString().isEqualTo("{\"StatusCode\":0}");
      up.close();
      assertThat(engine.requests).as("the relay went on the GET's connection, its handshake saved").hasSize(2);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(engine.connections)
          .as("the relay's connection is not kept, so a fresh one is made in the background for the next call").hasValue(2));
      link.call(node, "GET", "/v1.41/version", null);
      assertThat(engine.connections).as("the next call found it ready: no handshake on its path").hasValue(2);
    }
  }

  @Test
  void aRelayedStreamWhoseClientLeavesEndsAndClosesItsConnectionToTheNode() throws Exception {
    // As the engine answers docker run's wait: the head at once, the body when the container exits (never, here).
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        ServerSocket endpoint = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Relayed relayed = relay(engine.node(NodeAccess.ENGINE), endpoint, "POST /v1.41/containers/c1/wait?condition=next-exit HTTP/1.1");
      assertThat(HttpMessage.read(relayed.cli.getInputStream()).status()).isEqualTo(200);
      relayed.cli.close(); // docker run -d exits once its container started, its wait still open
      assertThat(engine.closed.await(5, TimeUnit.SECONDS)).as("the connection to the node closed when the client left").isTrue();
      assertThat(relayed.done.get(5, TimeUnit.SECONDS)).as("the relay ended without a failure, saying the client left").isFalse();
    }
  }

  @Test
  void aRelayWhoseClientLeftLeavesTheTlsSessionToResume() throws Exception {
    Instant now = Instant.now();
    ClusterCa ca = ClusterCa.create("test", now);
    Identity manager = ca.newIdentity("m1", Role.MANAGER, Duration.ofDays(1), now);
    Identity agent = ca.newIdentity("n1", Role.NODE, Duration.ofDays(1), now);
    AtomicInteger fullHandshakes = new AtomicInteger();
    NodeLink viaAgents = new NodeLink(countingFullHandshakes(manager, fullHandshakes), null);
    try (ScriptedEngine engine = new ScriptedEngine(agent.sslContext().getServerSocketFactory(), (n, req, out) -> ScriptedEngine.write(out,
            req.target().contains("/wait") ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" : ScriptedEngine.ok("{}")));
        ServerSocket endpoint = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Node node = engine.node(NodeAccess.AGENT);
      viaAgents.call(node, "GET", "/v1.41/version", null); // the one full handshake; its session ticket comes with the answer
      for (int i = 0; i < 2; i++) {
        // docker run -d: its wait takes the idle connection, a fresh one is made for the next call, and the CLI leaves
        Relayed relayed = relay(viaAgents, node, endpoint, "POST /v1.41/containers/c" + i + "/wait?condition=next-exit HTTP/1.1");
        assertThat(HttpMessage.read(relayed.cli.getInputStream()).status()).isEqualTo(200);
        relayed.cli.close();
        assertThat(relayed.done.get(5, TimeUnit.SECONDS)).isFalse();
        int made = i + 2;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(engine.connections).hasValue(made));
        viaAgents.call(node, "GET", "/v1.41/version", null); // on the fresh connection, whose ticket comes with the answer
      }
      assertThat(engine.connections).hasValue(3);
      assertThat(fullHandshakes).as("the relays' ends did not invalidate the session: each later connection resumed it").hasValue(1);
    }
  }

  /** The manager's mutual-TLS context, counting the server certificates it checks: one per full handshake, none on a resumption. */
  private static SSLContext countingFullHandshakes(Identity manager, AtomicInteger count) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test".toCharArray();
    keys.setKeyEntry("manager", manager.key(), password, new Certificate[] {manager.certificate(), manager.ca()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    X509ExtendedTrustManager trust = new X509ExtendedTrustManager() {
      @Override public void checkServerTrusted(X509Certificate[] chain, String a) { count.incrementAndGet(); }
      @Override public void checkServerTrusted(X509Certificate[] chain, String a, Socket s) { count.incrementAndGet(); }
      @Override public void checkServerTrusted(X509Certificate[] chain, String a, SSLEngine e) { count.incrementAndGet(); }
      @Override public void checkClientTrusted(X509Certificate[] chain, String a) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String a, Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String a, SSLEngine e) {}
      @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[] {manager.ca()}; }
    };
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
    return tls;
  }

  @Test
  void aRelayedAnswerThatEndsReachesItsClientWhole() throws Exception {
    String logs = "line one\nline two\n";
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> ScriptedEngine.write(out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + logs.length() + "\r\n\r\n" + logs) && false);
        ServerSocket endpoint = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Relayed relayed = relay(engine.node(NodeAccess.ENGINE), endpoint, "GET /v1.41/containers/c1/logs?stdout=1 HTTP/1.1");
      InputStream in = new BufferedInputStream(relayed.cli.getInputStream());
      HttpMessage head = HttpMessage.read(in);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Connection")).isEqualTo("close");
      assertThat(in.readAllBytes()).asString().isEqualTo(logs);
      assertThat(relayed.done.get(5, TimeUnit.SECONDS)).as("relayed whole").isTrue();
      relayed.cli.close();
    }
  }

  private record Relayed(Socket cli, CompletableFuture<Boolean> done, AtomicInteger status) {}

  /** A client connected to {@code endpoint} whose request the link forwards to {@code node}, as the Docker endpoint does. */
  private Relayed relay(Node node, ServerSocket endpoint, String requestLine) throws IOException {
    return relay(link, node, endpoint, requestLine);
  }

  private static Relayed relay(NodeLink link, Node node, ServerSocket endpoint, String requestLine) throws IOException {
    Socket cli = new Socket(InetAddress.getLoopbackAddress(), endpoint.getLocalPort());
    Socket client = endpoint.accept();
    HttpMessage request = new HttpMessage(requestLine, List.<String[]>of(new String[] {"Host", "docker"}));
    AtomicInteger status = new AtomicInteger();
    CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
      try (client) {
        return link.forward(node, request, new byte[0], client, new BufferedInputStream(client.getInputStream()), status::set);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Executors.newVirtualThreadPerTaskExecutor());
    return new Relayed(cli, done, status);
  }

  @Test
  void aConnectionIdleTooLongIsNotFit() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> true)) {
      Node node = engine.node(NodeAccess.ENGINE);
      SocketChannel ch = SocketChannel.open(new InetSocketAddress(node.host(), Integer.parseInt(node.address().split(":")[1])));
      PooledConnection c = new PooledConnection(ch.socket(), ch);
      c.idleFrom(0);
      assertThat(c.fit(PooledConnection.MAX_IDLE.toNanos() - 1)).isTrue();
      assertThat(c.fit(PooledConnection.MAX_IDLE.toNanos() + 1)).isFalse();
      c.close();
    }
  }
}
