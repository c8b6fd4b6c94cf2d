package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CreateRulesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLabelFilterIsAddedToTheClientsFiltersInEitherForm() {
    assertThat(decoded(CreateRules.withLabelFilter("/v1.41/events", null, "io.berth.owner=alice")))
        .isEqualTo("/v1.41/events?filters={\"label\":{\"io.berth.owner=alice\":true}}");
    assertThat(decoded(CreateRules.withLabelFilter("/v1.41/containers/prune?filters=x&a=1", "{\"until\":{\"10m\":true},\"label\":{\"x=y\":true}}",
        "io.berth.owner=alice"))).isEqualTo("/v1.41/containers/prune?a=1&filters={\"until\":{\"10m\":true},\"label\":{\"x=y\":true,\"io.berth.owner=alice\":true}}");
    assertThat(decoded(CreateRules.withLabelFilter("/v1.41/events?filters=x", "{\"label\":[\"x=y\"]}", "io.berth.owner=bob")))
        .isEqualTo("/v1.41/events?filters={\"label\":[\"x=y\",\"io.berth.owner=bob\"]}");
  }

  @Test
  void hostAccessNamesTheFirstSettingThatWouldGiveTheHostAway() throws Exception {
    assertThat(CreateRules.hostAccess(JSON.readTree("{\"Binds\":[\"data:/data\"],\"NetworkMode\":\"bridge\"}"))).isNull();
    assertThat(CreateRules.hostAccess(JSON.readTree("{\"Binds\":[\"/etc:/etc:ro\"]}"))).isEqualTo("Binds (/etc)");
    assertThat(CreateRules.hostAccess(JSON.readTree("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/var\"}]}"))).isEqualTo("Mounts (bind /var)");
    assertThat(CreateRules.hostAccess(JSON.readTree("{\"PidMode\":\"host\"}"))).isEqualTo("PidMode=host");
    assertThat(CreateRules.hostAccess(JSON.readTree("{\"CapAdd\":[\"SYS_ADMIN\"]}"))).isEqualTo("CapAdd");
  }

  private static String decoded(String target) {
    return URLDecoder.decode(target, StandardCharsets.UTF_8);
  }
}
