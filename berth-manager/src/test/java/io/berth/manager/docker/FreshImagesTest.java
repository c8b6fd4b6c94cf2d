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

/** {@code docker commit c img} then {@code docker run -e affinity:image==img}: the run sees the new image at once. */
class FreshImagesTest extends EndpointOnOneNode {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRunRightAfterAnImageChangeThroughTheManagerFindsTheImage() throws Exception {
    Node node = cluster.nodes.list().get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.view().cache().containers(node).isPresent());
    cluster.engine.addImage("made/outside:1"); // behind the manager's back, and no event: the cache cannot know yet
    assertThat(runNextTo("made/outside:1").body()).contains("no node fits: affinity image==made/outside:1");

    Runnable committed = fleet.view().cache().imagesChanging(node); // what POST /commit does before it forwards
    cluster.engine.addImage("made/committed:1"); // the node made the image and answered; the relay has not ended
    assertThat(runNextTo("made/committed:1").statusCode()).isEqualTo(201);
    committed.run();
    assertThat(runNextTo("made/committed:1").statusCode()).as("and from the cache once the relay ended").isEqualTo(201);
  }

  private HttpResponse<String> runNextTo(String image) throws Exception {
    String body = "{\"Image\":\"berth/busybox:1\",\"Env\":[\"affinity:image==" + image + "\"]}";
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/containers/create"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
