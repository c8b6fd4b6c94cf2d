package io.berth.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The managers field of the answers agents and routers read: absent unless named, and a newer field is no error. */
class ManagersFieldTest {
  private static String json(Object o) {
    return new String(Json.bytes(o), StandardCharsets.UTF_8);
  }

  @Test
  void anAnswerNamingNoManagersIsTheOldShapeByteForByte() {
    assertThat(json(new Heartbeat("ready", 3000, 10000))).isEqualTo("{\"state\":\"ready\",\"interval_millis\":3000,\"ttl_millis\":10000}");
    assertThat(json(new RouteTable("default", 7, List.of()))).isEqualTo("{\"group\":\"default\",\"revision\":7,\"domains\":[]}");
  }

  @Test
  void namedManagersTravelAndAFieldFromANewerManagerIsIgnored() {
    Heartbeat hb = new Heartbeat("ready", 3000, 10000).withManagers(List.of("10.0.0.1:2377", "10.0.0.2:2377"));
    assertThat(Json.read(Json.bytes(hb), Heartbeat.class)).isEqualTo(hb);
    assertThat(json(hb)).endsWith(",\"managers\":[\"10.0.0.1:2377\",\"10.0.0.2:2377\"]}");
    RouteTable t = Json.read("{\"group\":\"g\",\"revision\":1,\"domains\":[],\"managers\":[\"http://a:8080\"],\"later\":1}"
        .getBytes(StandardCharsets.UTF_8), RouteTable.class);
    assertThat(t.managers()).containsExactly("http://a:8080");
  }
}
