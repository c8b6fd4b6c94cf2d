package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdJsonTest {
  record Holder(ProcessGuid guid, Domain domain) {}

  @Test
  void idsTravelAsPlainStrings() {
    ActualLrp a = ActualLrp.unclaimed(new ProcessGuid("web"), 0, new Domain("apps"), 5, "e")
        .claim(NodeName.of("n1"), new InstanceGuid("g1"), 6);
    String json = new String(Json.bytes(a), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"process_guid\":\"web\",\"index\":0,\"instance_guid\":\"g1\",\"cell_id\":\"n1\",\"domain\":\"apps\",");
    assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), ActualLrp.class)).isEqualTo(a);
    String unclaimed = new String(Json.bytes(ActualLrp.unclaimed(new ProcessGuid("web"), 1, new Domain("apps"), 5, "e")),
        StandardCharsets.UTF_8);
    assertThat(unclaimed).contains("\"instance_guid\":\"\",\"cell_id\":\"\"");
  }

  @Test
  void aNullOrAbsentIdStaysNullAndAWrongTypeIsAStringError() {
    Holder h = Json.MAPPER.convertValue(Map.of("domain", "d"), Holder.class);
    assertThat(h.guid()).isNull();
    assertThat(h.domain()).isEqualTo(new Domain("d"));
    assertThat(new String(Json.bytes(new Holder(null, null)), StandardCharsets.UTF_8)).isEqualTo("{\"guid\":null,\"domain\":null}");
    assertThatThrownBy(() -> Json.read("{\"guid\":[1]}".getBytes(StandardCharsets.UTF_8), Holder.class))
        .hasMessageContaining("java.lang.String");
  }
}
