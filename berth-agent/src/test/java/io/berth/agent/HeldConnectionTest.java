package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Identity;
import io.berth.cluster.Refused;
import io.berth.cluster.Role;
import io.berth.manager.http.lean.LeanServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hollow node's held connection against the manager's own lean server: one connection for many calls, reopened when broken. */
class HeldConnectionTest {
  static final ClusterCa CA = ClusterCa.create("held-test", Instant.now());
  static final Identity MANAGER = CA.newIdentity("manager1", Role.MANAGER, Duration.ofDays(1), Instant.now());
  static final Identity NODE = CA.newIdentity("node1", Role.NODE, Duration.ofDays(1), Instant.now());
  private final Set<Integer> clientPorts = new HashSet<>();
  /** Echoes the body, as JSON-ish text; {@code /no} answers 404 with the cluster's error body. */
  private final HttpHandler handler = ex -> {
    try (ex) {
      synchronized (clientPorts) {
        clientPorts.add(ex.getRemoteAddress().getPort());
      }
      byte[] in = ex.getRequestBody().readAllBytes();
      boolean no = ex.getRequestURI().getPath().equals("/no");
      byte[] out = no ? "{\"name\":\"NodeNotFound\",\"message\":\"no such node\"}".getBytes(StandardCharsets.UTF_8) : in;
      ex.sendResponseHeaders(no ? 404 : 200, out.length);
      ex.getResponseBody().write(out);
    }
  };
  private LeanServer server;
  private int port;

  @BeforeEach
  void start() throws IOException {
    server = LeanServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MANAGER.sslContext(), handler);
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void restart() throws IOException {
    server.stop(0);
    server = LeanServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), MANAGER.sslContext(), handler);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void callsShareOneConnectionAndARefusalKeepsIt() throws IOException {
    try (HeldConnection c = new HeldConnection("127.0.0.1:" + port, NODE.sslContext())) {
      for (int i = 0; i < 5; i++) assertThat(text(c.post("/v1/cluster/heartbeat", ("{\"n\":" + i + "}").getBytes()))).isEqualTo("{\"n\":" + i + "}");
      assertThatThrownBy(() -> c.post("/no", "{}".getBytes())).isInstanceOfSatisfying(Refused.class, r -> {
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.getMessage()).isEqualTo("no such node");
      });
      assertThat(text(c.post("/v1/cluster/heartbeat", "{}".getBytes()))).isEqualTo("{}");
      assertThat(c.opened()).isEqualTo(1);
      assertThat(clientPorts).hasSize(1);
    }
  }

  @Test
  void aConnectionTheManagerClosedIsReplacedOnTheSameCall() throws IOException {
    try (HeldConnection c = new HeldConnection("127.0.0.1:" + port, NODE.sslContext())) {
      c.post("/v1/cluster/heartbeat", "{}".getBytes());
      restart(); // the manager restarted: the held connection is gone
      assertThat(text(c.post("/v1/cluster/heartbeat", "{\"after\":1}".getBytes()))).isEqualTo("{\"after\":1}");
      assertThat(c.opened()).isEqualTo(2);
    }
  }

  @Test
  void aCallThatCannotReachTheManagerFailsAndTheNextOpensANewConnection() throws IOException {
    try (HeldConnection c = new HeldConnection("127.0.0.1:" + port, NODE.sslContext())) {
      c.post("/v1/cluster/heartbeat", "{}".getBytes());
      server.stop(0);
      assertThatThrownBy(() -> c.post("/v1/cluster/heartbeat", "{}".getBytes())).isInstanceOf(IOException.class).isNotInstanceOf(Refused.class);
      server = LeanServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), MANAGER.sslContext(), handler);
      assertThat(text(c.post("/v1/cluster/heartbeat", "{}".getBytes()))).isEqualTo("{}");
      assertThat(c.opened()).isEqualTo(2);
    }
  }
}
