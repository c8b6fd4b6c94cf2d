package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertCommandTest {
  final FakeApi api = new FakeApi();

  AlertCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void addSendsTheRuleWithForAndEachReceiver() {
    api.on("POST /v1/apps/web/alerts", 201, "{\"name\":\"high-cpu\",\"when\":\"cpu > 80%\",\"for\":\"2m\",\"severity\":\"warning\"}");
    FakeApi.Result r = api.ok("alert", "add", "web", "--name", "high-cpu", "--when", "cpu > 80%", "--for", "2m",
        "--webhook", "https://a.example/h", "--webhook", "http://b.example/h", "--email", "ann@example.com");
    assertThat(r.out()).isEqualTo("added web/high-cpu: cpu > 80% for 2m (warning)\n");
    assertThat(api.calls("POST", "/v1/apps/web/alerts").get(0).body()).isEqualTo("{\"name\":\"high-cpu\",\"when\":\"cpu > 80%\",\"for\":\"2m\","
        + "\"webhooks\":[\"https://a.example/h\",\"http://b.example/h\"],\"emails\":[\"ann@example.com\"]}");
  }

  @Test
  void muteUnmuteAndRmNameARuleAsAppSlashRule() {
    api.on("POST /v1/apps/web/alerts/high-cpu/mute", "{\"muted_until\":\"2026-12-06T13:00:00Z\"}");
    assertThat(api.ok("alert", "mute", "web/high-cpu", "--for", "1h").out()).isEqualTo("muted web/high-cpu until 2026-12-06T13:00:00Z\n");
    assertThat(api.calls("POST", "/v1/apps/web/alerts/high-cpu/mute").get(0).body()).isEqualTo("{\"for\":\"1h\"}");
    api.on("DELETE /v1/apps/web/alerts/high-cpu/mute", 204, "");
    assertThat(api.ok("alert", "unmute", "web/high-cpu").out()).isEqualTo("unmuted web/high-cpu\n");
    api.on("DELETE /v1/apps/web/alerts/high-cpu", 204, "");
    assertThat(api.ok("alert", "rm", "web/high-cpu").out()).isEqualTo("removed web/high-cpu\n");
  }

  @Test
  void aRuleNotNamedAsAppSlashRuleIsAUsageErrorAndNothingIsSent() {
    assertThat(api.usageError("alert", "rm", "high-cpu").err()).contains("name a rule as APP/RULE, e.g. web/high-cpu, got 'high-cpu'");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void lsWithoutAnAppListsWhatIsFiring() {
    api.on("GET /v1/alerts", "[{\"app\":\"web\",\"name\":\"high-cpu\",\"when\":\"cpu > 80%\",\"for\":\"2m\",\"severity\":\"warning\","
        + "\"state\":\"firing\",\"active_since\":null,\"value_text\":\"92%\",\"source\":\"cli\",\"muted_until\":null}]");
    String out = api.ok("alert", "ls").out();
    assertThat(out).contains("RULE").contains("web/high-cpu").contains("firing").contains("92%");
    api.on("GET /v1/apps/web/alerts/history?limit=5", "[]");
    assertThat(api.ok("alert", "history", "web", "--limit", "5").exit()).isZero();
  }
}
