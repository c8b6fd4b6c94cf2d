package io.berth.manager.notify;

import static io.berth.manager.notify.NotifyFixture.T0;
import static io.berth.manager.notify.NotifyFixture.firing;
import static io.berth.manager.notify.NotifyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Json;
import io.berth.core.alert.AlertNotice;
import io.berth.manager.TestStore;
import io.berth.manager.leader.Singletons;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A webhook receiver (the JDK's HTTP server) gets Alertmanager's version 4 JSON, and is retried when it was down. */
class WebhookDeliveryTest {
  @RegisterExtension final TestStore stores = new TestStore();
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  NotifyFixture f;
  HttpServer server;
  Notifications n;

  @BeforeEach
  void open() throws Exception {
    f = new NotifyFixture(stores.get());
    server = receiver(0);
    n = Notifications.create(f.store, Singletons.always(f.store), f.access, NotifyConfig.NONE, "m1", f.clock, () -> "http://berth.example.com:8080");
  }

  @AfterEach
  void close() {
    server.stop(0);
    f.close();
  }

  HttpServer receiver(int port) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    s.createContext("/hook", ex -> {
      received.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    s.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Test
  void theReceiverGetsAlertmanagersVersion4Payload() throws Exception {
    AlertNotice fire = firing("web", "high-cpu", T0, List.of(url()), List.of());
    n.deliver(fire);
    n.deliver(resolved(firing("web", "high-mem", T0.minusSeconds(600), List.of(url()), List.of()), T0));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(received).hasSize(1);
    JsonNode body = received.get(0);
    assertThat(body.path("version").asText()).isEqualTo("4");
    assertThat(body.path("status").asText()).isEqualTo("firing");
    assertThat(body.path("groupKey").asText()).isEqualTo("{}:{app=\"web\"}");
    assertThat(body.path("truncatedAlerts").asInt(-1)).isZero();
    assertThat(body.path("groupLabels").toString()).isEqualTo("{\"app\":\"web\"}");
    assertThat(body.path("commonLabels").toString()).isEqualTo("{\"app\":\"web\",\"severity\":\"warning\"}");
    assertThat(body.path("externalURL").asText()).isEqualTo("http://berth.example.com:8080");
    assertThat(body.has("receiver") && body.has("commonAnnotations")).isTrue();
    JsonNode a = body.path("alerts").get(0);
    assertThat(a.path("status").asText()).isEqualTo("firing");
    assertThat(a.path("labels").toString()).isEqualTo("{\"alertname\":\"high-cpu\",\"app\":\"web\",\"severity\":\"warning\"}");
    assertThat(a.path("annotations").path("summary").asText()).isEqualTo("cpu 92.5 % > 80 % for 2m");
    assertThat(a.path("startsAt").asText()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(a.path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(a.path("generatorURL").asText()).isEqualTo("http://berth.example.com:8080/#/apps/web");
    assertThat(a.path("fingerprint").asText()).matches("[0-9a-f]{16}");
    JsonNode gone = body.path("alerts").get(1);
    assertThat(gone.path("status").asText()).isEqualTo("resolved");
    assertThat(gone.path("endsAt").asText()).isEqualTo("2026-12-06T10:00:00Z");
  }

  @Test
  void aReceiverThatWasDownGetsTheMessageWhenItComesBack() throws Exception {
    int port = server.getAddress().getPort();
    String hook = url();
    server.stop(0);
    n.deliver(firing("web", "high-cpu", T0, List.of(hook), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(n.recent("web", 1).get(0).outcome()).isEqualTo("retrying");
    assertThat(n.recent("web", 1).get(0).error()).startsWith("cannot connect to " + hook);

    server = receiver(port);
    status = 503;
    f.clock.advance(Duration.ofSeconds(1));
    n.pass();
    assertThat(n.recent("web", 1).get(0).error()).isEqualTo("HTTP 503 from " + hook);
    status = 200;
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(received).hasSize(2);
    assertThat(n.recent("web", 1).get(0).outcome()).isEqualTo("delivered");
    assertThat(n.recent("web", 1).get(0).attempts()).isEqualTo(3);
  }

  @Test
  void aClientErrorIsTheReceiversNoAndIsNotRetried() throws Exception {
    status = 400;
    n.deliver(firing("web", "high-cpu", T0, List.of(url()), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    f.clock.advance(Duration.ofMinutes(10));
    n.pass();
    assertThat(received).hasSize(1);
    assertThat(n.recent("web", 1).get(0).outcome()).isEqualTo("rejected");
  }
}
