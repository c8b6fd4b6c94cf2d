package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.scheduler.PlacementRequest.HostPort;
import java.util.List;
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

  @Test
  void onTheHostsNetworkAContainerTakesWhatItAndItsImageExpose() throws Exception {
    var body = JSON.readTree("{\"ExposedPorts\":{\"8080/tcp\":{},\"53/udp\":{}}}");
    var hostNet = JSON.readTree("{\"NetworkMode\":\"host\",\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80\"}]}}");
    assertThat(Creator.hostPorts(body, hostNet, () -> List.of("80/tcp", "8080/tcp")))
        .as("-p is dropped on the host's network; the image's EXPOSE counts, each port once")
        .containsExactly(new HostPort("", 8080, "tcp"), new HostPort("", 53, "udp"), new HostPort("", 80, "tcp"));
    var bridge = JSON.readTree("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8000\"}]}}");
    assertThat(Creator.hostPorts(body, bridge, () -> {
      throw new AssertionError("the image is not asked about off the host's network");
    })).containsExactly(new HostPort("", 8000, "tcp"));
    assertThatThrownBy(() -> Creator.hostPorts(JSON.readTree("{\"ExposedPorts\":{\"web/tcp\":{}}}"), hostNet, List::of))
        .isInstanceOf(BerthException.Invalid.class).hasMessage("invalid exposed port 'web/tcp': expected PORT or PORT/PROTOCOL");
  }
}
