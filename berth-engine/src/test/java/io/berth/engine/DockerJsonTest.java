package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.NodeName;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerJsonTest {
  @Test
  void aNodeNameInADockerShapedMapIsTheBareName() throws Exception {
    assertThat(DockerJson.MAPPER.writeValueAsString(Map.of("Name", NodeName.of("n1")))).isEqualTo("{\"Name\":\"n1\"}");
  }
}
