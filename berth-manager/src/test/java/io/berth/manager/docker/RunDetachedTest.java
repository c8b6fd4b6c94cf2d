package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.node.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code docker run -d} through the manager: create, then start, each read back by the client's very next request. */
class RunDetachedTest extends EndpointOnOneNode {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCreateAndAStartAreSeenByTheNextRequestsAndTheStartAnswerIsTheNodes() throws Exception {
    Node node = cluster.nodes.list().get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.view().cache().containers(node).isPresent());
    assertThat(send("POST", "/containers/create?name=web", "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"sleep\",\"60\"]}").statusCode())
        .isEqualTo(201);
    assertThat(send("GET", "/containers/json?all=1", null).body()).contains("\"/node16/web\"").contains("\"created\"");
    HttpResponse<String> started = send("POST", "/containers/web/start", "");
    assertThat(started.statusCode()).isEqualTo(204);
    assertThat(started.body()).isEmpty();
    assertThat(send("GET", "/containers/json", null).body()).contains("\"/node16/web\"").contains("\"running\"");
    assertThat(send("POST", "/containers/web/start", "").statusCode()).as("the node's answer to a second start").isEqualTo(304);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/v1.41" + path));
    b = body == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
