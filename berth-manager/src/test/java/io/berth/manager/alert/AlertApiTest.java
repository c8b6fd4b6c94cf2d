package io.berth.manager.alert;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert routes over HTTP on an in-process manager: who may, what is refused and how it is worded. */
class AlertApiTest {
  static final String WEB = """
      name: web
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 0
      """;
  static final String CPU = "{\"name\":\"high-cpu\",\"when\":\"cpu > 80%\",\"for\":\"2m\",\"webhooks\":[\"https://hooks.example/b\"]}";
  @RegisterExtension final ApiTestServer m = new ApiTestServer();
  String alice;
  String bob;
  String carol;

  @BeforeEach
  void webWithAnOwnerAMasterAndADeveloper() throws Exception {
    alice = m.signedIn("alice", "pw-alice-long");
    bob = m.signedIn("bob", "pw-bob-long");
    carol = m.signedIn("carol", "pw-carol-long");
    assertThat(m.call(alice, "POST", "/v1/apps", WEB).statusCode()).isEqualTo(201);
    assertThat(m.call(alice, "PUT", "/v1/members/app/web/bob", "{\"role\":\"developer\"}").statusCode()).isEqualTo(200);
    assertThat(m.call(alice, "PUT", "/v1/members/app/web/carol", "{\"role\":\"master\"}").statusCode()).isEqualTo(200);
  }

  /** Deploys once the last rollout is over: a deploy during one is refused (409). */
  void deploy(String manifest) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonNode phase = json(m.call(alice, "GET", "/v1/apps/web", null)).path("rollout").path("phase");
      return phase.isMissingNode() || phase.isNull() || List.of("succeeded", "failed", "aborted").contains(phase.asText());
    });
    HttpResponse<String> r = m.call(alice, "POST", "/v1/apps", manifest);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @Test
  void anOwnerOrMasterAddsRulesAndAnyMemberReadsThem() throws Exception {
    HttpResponse<String> r = m.call(alice, "POST", "/v1/apps/web/alerts", CPU);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode rule = json(r);
    assertThat(rule.path("for").asText()).isEqualTo("2m");
    assertThat(rule.path("severity").asText()).isEqualTo("warning");
    assertThat(rule.path("source").asText()).isEqualTo("cli");
    assertThat(rule.path("state").asText()).isEqualTo("inactive");
    assertThat(rule.path("created_by").asText()).isEqualTo("alice");
    assertThat(m.call(carol, "POST", "/v1/apps/web/alerts", "{\"name\":\"crashing\",\"when\":\"restarts[10m] > 3\"}").statusCode())
        .isEqualTo(201);

    HttpResponse<String> denied = m.call(bob, "POST", "/v1/apps/web/alerts", CPU.replace("high-cpu", "mine"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(json(denied).path("message").asText()).isEqualTo("bob is a developer of app web; alerts needs master or owner");

    JsonNode list = json(m.call(bob, "GET", "/v1/apps/web/alerts", null));
    assertThat(list).hasSize(2);
    assertThat(list.get(1).path("webhooks").get(0).asText()).isEqualTo("https://hooks.example/b");
    assertThat(m.call(bob, "DELETE", "/v1/apps/web/alerts/high-cpu", null).statusCode()).isEqualTo(403);
    assertThat(m.call(alice, "DELETE", "/v1/apps/web/alerts/high-cpu", null).statusCode()).isEqualTo(204);
    assertThat(m.call(alice, "DELETE", "/v1/apps/web/alerts/high-cpu", null).statusCode()).isEqualTo(404);
    assertThat(json(m.call(bob, "GET", "/v1/apps/web/alerts", null))).hasSize(1);
  }

  @Test
  void aBadRuleIsRefusedNamingTheBadPartAndNothingChanges() throws Exception {
    HttpResponse<String> r = m.call(alice, "POST", "/v1/apps/web/alerts", CPU.replace("cpu > 80%", "cpux > 80%"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).startsWith("when: unknown metric 'cpux' at 1: expected one of cpu, cpu_per_instance");
    r = m.call(alice, "POST", "/v1/apps/web/alerts", CPU.replace("https://hooks", "ftp://hooks"));
    assertThat(json(r).path("message").asText()).contains("webhooks: must be an http:// or https:// URL");
    r = m.call(alice, "POST", "/v1/apps/web/alerts", CPU.replace("80%", "80 parsecs"));
    assertThat(json(r).path("message").asText()).contains("unknown unit 'parsecs' at 10 for cpu");
    r = m.call(alice, "POST", "/v1/apps/web/alerts", "{\"name\":\"x\",\"when\":\"cpu > 1\",\"emails\":[\"nobody\"]}");
    assertThat(json(r).path("message").asText()).isEqualTo("emails: not an e-mail address: \"nobody\"");
    assertThat(json(m.call(alice, "GET", "/v1/apps/web/alerts", null))).isEmpty();
    assertThat(m.call(alice, "POST", "/v1/apps/web/alerts", CPU).statusCode()).isEqualTo(201);
    assertThat(m.call(alice, "POST", "/v1/apps/web/alerts", CPU).statusCode()).isEqualTo(409);
    assertThat(m.asAdmin("GET", "/v1/apps/nope/alerts", null).statusCode()).isEqualTo(404);
    assertThat(m.call(bob, "GET", "/v1/apps/nope/alerts", null).statusCode()).isEqualTo(403);
  }

  @Test
  void theClusterForecastIsForAdministrators() throws Exception {
    String rule = "{\"name\":\"full\",\"when\":\"cluster_memory_full_in < 24h\"}";
    HttpResponse<String> r = m.call(alice, "POST", "/v1/apps/web/alerts", rule);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).path("message").asText()).contains("only an administrator");
    assertThat(m.asAdmin("POST", "/v1/apps/web/alerts", rule).statusCode()).isEqualTo(201);
  }

  @Test
  void aMuteHasAnEndAndUnmuteEndsIt() throws Exception {
    m.call(alice, "POST", "/v1/apps/web/alerts", CPU);
    HttpResponse<String> r = m.call(carol, "POST", "/v1/apps/web/alerts/high-cpu/mute", "{\"for\":\"1h\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("muted_until").asText()).endsWith("Z");
    assertThat(json(m.call(alice, "POST", "/v1/apps/web/alerts/high-cpu/mute", "{\"for\":\"soon\"}")).path("message").asText())
        .startsWith("for: invalid duration 'soon'");
    assertThat(m.call(bob, "POST", "/v1/apps/web/alerts/high-cpu/mute", "{\"for\":\"1h\"}").statusCode()).isEqualTo(403);
    assertThat(m.call(alice, "POST", "/v1/apps/web/alerts/nope/mute", "{\"for\":\"1h\"}").statusCode()).isEqualTo(404);
    r = m.call(alice, "DELETE", "/v1/apps/web/alerts/high-cpu/mute", null);
    assertThat(json(r).path("muted_until").isNull()).isTrue();
  }

  @Test
  void aManifestsRulesComeWithTheDeployAndStayItsOwn() throws Exception {
    String withAlerts = WEB + "alerts:\n  - name: few\n    when: instances_running < 1\n    for: 1m\n";
    deploy(withAlerts);
    m.call(alice, "POST", "/v1/apps/web/alerts", CPU);
    JsonNode list = json(m.call(alice, "GET", "/v1/apps/web/alerts", null));
    assertThat(list).extracting(n -> n.path("name").asText() + " " + n.path("source").asText()).containsExactly("few manifest", "high-cpu cli");
    HttpResponse<String> r = m.call(alice, "DELETE", "/v1/apps/web/alerts/few", null);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).path("message").asText()).contains("remove it there and deploy");
    assertThat(m.call(alice, "POST", "/v1/apps/web/alerts", CPU.replace("high-cpu", "few")).statusCode()).isEqualTo(409);
    deploy(WEB + "alerts: []\n");
    assertThat(json(m.call(alice, "GET", "/v1/apps/web/alerts", null))).extracting(n -> n.path("name").asText()).containsExactly("high-cpu");
  }

  @Test
  void theClusterViewsShowEachCallerTheAppsTheyMayRead() throws Exception {
    m.call(alice, "POST", "/v1/apps/web/alerts", CPU);
    String dave = m.signedIn("dave", "pw-dave-long");
    assertThat(json(m.call(dave, "GET", "/v1/alerts", null))).isEmpty();
    assertThat(json(m.call(dave, "GET", "/v1/alerts/history", null))).isEmpty();
    assertThat(m.call(dave, "GET", "/v1/alerts/rules.yml", null).body()).doesNotContain("web_high_cpu");
    HttpResponse<String> yml = m.asAdmin("GET", "/v1/alerts/rules.yml", null);
    assertThat(yml.headers().firstValue("Content-Type")).hasValue("application/yaml; charset=utf-8");
    assertThat(yml.body()).contains("- alert: web_high_cpu");
    assertThat(m.call(bob, "GET", "/v1/alerts/history?limit=0", null).statusCode()).isEqualTo(400);
    assertThat(m.call(bob, "GET", "/v1/apps/web/alerts/history", null).statusCode()).isEqualTo(200);
  }
}
