package io.berth.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficReportJsonTest {
  @Test
  void aWindowTravelsWithTheDocumentedFieldNames() {
    TrafficReport r = new TrafficReport("web1-default-80", "default", 1_780_000_005_000L, 5_000,
        List.of(new TrafficReport.Domain("hello.test", 512, 3, List.of(0L, 40L))));
    String json = new String(Json.bytes(r), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"id\":\"web1-default-80\",\"group\":\"default\",\"at\":1780000005000,\"window_millis\":5000,"
        + "\"domains\":[{\"domain\":\"hello.test\",\"requests\":512,\"errors_5xx\":3,\"latency_ms_buckets\":[0,40]}]}");
    assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), TrafficReport.class)).isEqualTo(r);
  }
}
