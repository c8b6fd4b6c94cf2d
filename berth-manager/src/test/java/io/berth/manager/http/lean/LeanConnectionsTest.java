package io.berth.manager.http.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lean server's connections: kept alive and reused, the TLS peer seen by routes, idle ones ended, many held, stop. */
@Timeout(300) // a guard against a hang, not a timed assertion
class LeanConnectionsTest {
  private LeanServer server;

  /** The cluster endpoint's own route table type, unchanged: who calls, and from which port. */
  private final Routes routes = new Routes(r -> {})
      .get("/who", r -> Routes.Reply.text(200, r.peer().map(p -> p.name() + "/" + p.role()).orElse("anonymous")))
      .get("/port", (Request r) -> Routes.Reply.text(200, r.header("X-Port").orElse("")));

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  private void start(Duration idle) throws IOException {
    server = LeanTls.start(ex -> {
      ex.getRequestHeaders().set("X-Port", Integer.toString(ex.getRemoteAddress().getPort()));
      routes.handle(ex);
    }, idle);
  }

  @Test
  void theJdkClientReusesOneConnectionForItsCalls() throws Exception {
    start(Duration.ofMinutes(5));
    HttpClient client = LeanTls.client(LeanTls.NODE.sslContext());
    Set<String> ports = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(LeanTls.uri(server, "/port")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      ports.add(r.body());
    }
    assertThat(ports).hasSize(1);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void routesSeeTheClientCertificateOrNone() throws Exception {
    start(Duration.ofMinutes(5));
    var node = LeanTls.client(LeanTls.NODE.sslContext()).send(HttpRequest.newBuilder(LeanTls.uri(server, "/who")).build(),
        HttpResponse.BodyHandlers.ofString());
    var anonymous = LeanTls.client(LeanTls.ANONYMOUS).send(HttpRequest.newBuilder(LeanTls.uri(server, "/who")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(node.body()).isEqualTo("node1/NODE");
    assertThat(anonymous.body()).isEqualTo("anonymous");
  }

  @Test
  void aConnectionSilentPastTheIdleTimeoutIsClosed() throws IOException {
    start(Duration.ofSeconds(1));
    try (RawClient c = new RawClient(LeanTls.NODE.sslContext(), server.getAddress())) {
      assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("node1/NODE");
      assertThat(c.closedByServer()).isTrue(); // within the client's 60 s guard, so well before: the server's 1 s
    }
  }

  @Test
  void holdsManyMoreIdleConnectionsThanTheJdkServersTwoHundred() throws IOException {
    start(Duration.ofMinutes(5));
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 250; i++) {
        RawClient c = new RawClient(LeanTls.NODE.sslContext(), server.getAddress());
        clients.add(c);
        assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      }
      assertThat(server.connections()).isEqualTo(250);
      for (RawClient c : clients) { // every one still open and usable: a second request on the same socket
        assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("node1/NODE");
      }
    } finally {
      for (RawClient c : clients) c.close();
    }
  }

  @Test
  void outOfFilesTheConnectionsIdleLongestAreClosedToMakeRoomAndTheirClientsReconnect() throws Exception {
    start(Duration.ofMinutes(5));
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawClient c = new RawClient(LeanTls.NODE.sslContext(), server.getAddress());
        clients.add(c);
        assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        Thread.sleep(20); // idle since moments apart: the first answered is the one idle longest
      }
      // the last two are used again: idle for less than the others
      for (RawClient c : clients.subList(3, 5)) assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);

      assertThat(server.shedIdle(2, Duration.ofSeconds(30).toNanos())).isZero(); // none idle that long: none closed
      assertThat(server.shedIdle(2, 0)).isEqualTo(2);

      assertThat(clients.get(0).closedByServer()).isTrue();
      assertThat(clients.get(1).closedByServer()).isTrue();
      assertThat(server.connections()).isEqualTo(3);
      for (RawClient c : clients.subList(2, 5)) assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("node1/NODE");
      try (RawClient again = new RawClient(LeanTls.NODE.sslContext(), server.getAddress())) { // a closed one's client comes back
        assertThat(again.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("node1/NODE");
      }
    } finally {
      for (RawClient c : clients) c.close();
    }
  }

  @Test
  void stopClosesIdleConnectionsAndTheListener() throws IOException {
    start(Duration.ofMinutes(5));
    int port = server.getAddress().getPort();
    try (RawClient c = new RawClient(LeanTls.NODE.sslContext(), server.getAddress())) {
      assertThat(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      server.stop(5);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(server.connections()).isZero();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
    server = null;
  }
}
