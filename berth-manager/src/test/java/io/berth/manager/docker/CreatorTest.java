package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.scheduler.PlacementRequest.HostPort;
import org.junit.jupiter.api.Test;

class CreatorTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsPublishedHostPortsButNotRandomOnes() throws Exception {
    var bindings = JSON.readTree("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"53\"}],"
        + "\"9000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
    assertThat(Creator.ports(bindings)).containsExactly(new HostPort("", 8080, "tcp"), new HostPort("127.0.0.1", 53, "udp"));
    assertThatThrownBy(() -> Creator.ports(JSON.readTree("{\"80/tcp\":[{\"HostPort\":\"eighty\"}]}")))
        .isInstanceOf(BerthException.Invalid.class).hasMessageContaining("invalid host port 'eighty'");
  }

  @Test
  void linksVolumesFromAndContainerNetworksAreDependencies() throws Exception {
    var host = JSON.readTree("{\"Links\":[\"/db:/web/db\"],\"VolumesFrom\":[\"data:ro\"],\"NetworkMode\":\"container:proxy\"}");
    assertThat(Creator.dependencies(host)).containsExactly("db", "data", "proxy");
    assertThat(Creator.dependencies(JSON.readTree("{\"NetworkMode\":\"bridge\"}"))).isEmpty();
  }
}
