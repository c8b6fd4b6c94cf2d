package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code berth app autoscale}, {@code berth app scale --force} and {@code berth nodes --forecast} against a fake API. */
class AutoscaleCommandTest extends AppFixture {
  AutoscaleCommandTest() throws Exception {}

  static final String ON = """
      {"app": "hello", "autoscale": {"min": 2, "max": 10, "cpu": "60%", "memory": null, "requests_per_instance": 50.0},
       "set_by": "ann", "set_at": "2026-12-06T12:00:00Z", "recommendations": []}
      """;

  @Test
  void autoscalePutsTheFlagsGivenAndOffDeletes() {
    api.on("PUT /v1/apps/hello/autoscale", ON);
    FakeApi.Result r = api.ok("app", "autoscale", "hello", "--min", "2", "--max", "10", "--cpu", "60%", "--rps", "50");
    assertThat(api.calls("PUT", "/v1/apps/hello/autoscale").get(0).body())
        .isEqualTo("{\"min\":2,\"max\":10,\"cpu\":\"60%\",\"requests_per_instance\":50.0}");
    assertThat(r.out()).isEqualTo("hello autoscales between 2 and 10 instances: cpu 60%, requests_per_instance 50 (set by ann)\n");
    api.on("GET /v1/apps/hello/autoscale", ON);
    assertThat(api.ok("app", "autoscale", "hello").out()).startsWith("hello autoscales between 2 and 10");
    api.on("DELETE /v1/apps/hello/autoscale", 204, "");
    assertThat(api.ok("app", "autoscale", "hello", "--off").out()).isEqualTo("autoscaling of hello is off; it keeps its instances\n");
    assertThat(api.berth("app", "autoscale", "hello", "--off", "--max", "3").exit()).isEqualTo(2);
  }

  @Test
  void scaleForceSendsForce() {
    api.on("POST /v1/apps/hello/scale", status("scale", 2, "succeeded", 5, 0, "").replace("\"from\": [1]", "\"from\": [2]"));
    api.ok("app", "scale", "hello", "5", "--force", "-d");
    assertThat(api.calls("POST", "/v1/apps/hello/scale").get(0).body()).isEqualTo("{\"instances\":5,\"force\":true}");
  }

  @Test
  void nodesForecastPrintsTheClusterThenEachNodeAndTheWindow() {
    String line = "{\"now\": %s, \"per_hour\": %s, \"full_in_seconds\": null, \"samples\": %d, \"says\": \"%s\"}";
    String mem = "{\"capacity\": 8589934592, \"reserved\": " + String.format(line, "2147483648", "134217728", 30, "memory reserved full in ~2 d")
        + ", \"used\": " + String.format(line, "1073741824", "0", 30, "no growth") + "}";
    String cpu = "{\"capacity\": 4, \"reserved\": " + String.format(line, "1.5", "0", 3, "not enough data (3 of 10 samples)")
        + ", \"used\": " + String.format(line, "null", "0", 0, "not enough data (0 of 10 samples)") + "}";
    String part = "{\"name\": \"%s\", \"memory\": " + mem + ", \"cpu\": " + cpu + "}";
    api.on("GET /v1/nodes/forecast", "{\"window_seconds\": 3600, \"since\": \"2026-12-06T11:00:00Z\", \"cluster\": "
        + String.format(part, "cluster") + ", \"nodes\": [" + String.format(part, "n1") + "]}");
    String out = api.ok("nodes", "--forecast").out();
    assertThat(out.lines().toList()).hasSize(6);
    assertThat(out.lines().findFirst().orElseThrow()).startsWith("NODE").contains("RESERVED", "TREND/H", "FORECAST");
    assertThat(out).contains("cluster   memory     8.0 GiB    2.0 GiB    +128 MiB   1.0 GiB   +0 MiB    memory reserved full in ~2 d; no growth");
    assertThat(out).contains("n1        cpu        4.00       1.50       -", "not enough data (3 of 10 samples)");
    assertThat(out).endsWith("trends fitted by least squares over the last 1h (--metrics-retention); reservations are sampled every"
        + " 30 s by the manager answering, since it started\n");
  }
}
