package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's container listing, read for a summary's fields only. */
class DockerListingTest {
  /** Two rows as dockerd 20.10 (API 1.41) answers them, every field it sends, nested ones too. */
  static final String TWO_ROWS = """
      [{"Id":"8dfafdbc3a40","Names":["/boring_feynman"],"Image":"berth/busybox:1","ImageID":"sha256:d74508fb6632",
        "Command":"sleep 600","Created":1367854155,"Ports":[{"IP":"127.0.0.1","PrivatePort":8080,"PublicPort":61000,"Type":"tcp"}],
        "Labels":{"io.berth.instance-guid":"g1","io.berth.ports":"61000:8080"},"State":"running","Status":"Up 2 seconds",
        "HostConfig":{"NetworkMode":"default"},"NetworkSettings":{"Networks":{"bridge":{"IPAMConfig":null,"Links":null,
        "Aliases":null,"NetworkID":"7ea29fc1412292a2d7bba362f9253545fecdfa8ce9a6e37dd10ba8bee7129812","IPAddress":"172.17.0.2"}}},
        "Mounts":[{"Type":"bind","Source":"/var/lib/berth/i/g1","Destination":"/.berth","Mode":"","RW":true,"Propagation":"rprivate"}]},
       {"Id":"9cd87474be90","Names":null,"Image":"busybox","Created":1367854154,"Labels":null,"State":"exited",
        "Status":"Exited (0) 1 second ago","SizeRw":12288,"Ports":[],"Mounts":[]}]
      """;

  @Test
  void readsTheSummaryFieldsOfEachRowAndSkipsTheRest() throws IOException {
    List<ContainerSummary> rows = DockerListing.parse(new ByteArrayInputStream(TWO_ROWS.getBytes(StandardCharsets.UTF_8)));

    assertThat(rows).containsExactly(
        new ContainerSummary("8dfafdbc3a40", List.of("/boring_feynman"), "berth/busybox:1", "running", "Up 2 seconds",
            Map.of("io.berth.instance-guid", "g1", "io.berth.ports", "61000:8080"), 1367854155L),
        new ContainerSummary("9cd87474be90", List.of(), "busybox", "exited", "Exited (0) 1 second ago", Map.of(), 1367854154L));
  }

  @Test
  void anAnswerThatIsNotAListIsAnError() {
    assertThatThrownBy(() -> DockerListing.parse(new ByteArrayInputStream("{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class).hasMessage("the engine's container list is not a JSON array");
  }

  @Test
  void asksForStoppedContainersAndLabelsAsTheEngineFiltersThem() {
    assertThat(DockerListing.path(true, Map.of())).isEqualTo("/containers/json?all=1");
    assertThat(DockerListing.path(false, Map.of())).isEqualTo("/containers/json?all=0");
    String path = DockerListing.path(true, Map.of("io.berth.instance-guid", ""));
    assertThat(URLDecoder.decode(path, StandardCharsets.UTF_8)).isEqualTo("/containers/json?all=1&filters={\"label\":[\"io.berth.instance-guid\"]}");
    assertThat(URLDecoder.decode(DockerListing.path(false, Map.of("app", "web")), StandardCharsets.UTF_8))
        .isEqualTo("/containers/json?all=0&filters={\"label\":[\"app=web\"]}");
  }

  @Test
  void listsThroughTheEnginesApiWithItsFilters() throws Exception {
    FakeEngine fake = FakeEngine.builder().name("hollow-1").cpus(2).memoryBytes(1L << 30).build();
    fake.addImage("berth/busybox:1");
    String running = fake.create(new ContainerSpec("web", "berth/busybox:1", List.of("sleep", "600"), List.of(),
        Map.of("io.berth.instance-guid", "g1"), 0, 0, Map.of(), ""));
    fake.start(running);
    String created = fake.create(ContainerSpec.of("berth/busybox:1", "true"));
    try (var server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), fake);
         var engine = new DockerEngine("tcp://127.0.0.1:" + server.port())) {
      assertThat(engine.listContainers(true, Map.of())).extracting(ContainerSummary::id).containsExactlyInAnyOrder(running, created);
      assertThat(engine.listContainers(false, Map.of())).extracting(ContainerSummary::id).containsExactly(running);
      List<ContainerSummary> labelled = engine.listContainers(true, Map.of("io.berth.instance-guid", ""));
      assertThat(labelled).extracting(ContainerSummary::id).containsExactly(running);
      assertThat(labelled.getFirst().labels()).containsEntry("io.berth.instance-guid", "g1");
      assertThat(labelled.getFirst().names()).containsExactly("/web");
      assertThat(labelled.getFirst().state()).isEqualTo("running");
    }
  }
}
