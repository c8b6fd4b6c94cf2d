package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Alert rules evaluated by the leader of the {@link EtcdCluster} (nodes 24-26, etcd): a rule that
 * comes with a deploy's manifest goes pending then firing within its {@code for} plus two
 * evaluations, the CLI's rules and mutes work beside it, and it resolves once the app scales past
 * the threshold. Notifications reach real receivers: an SMTP server from Debian (python3-aiosmtpd) gets
 * the firing and the resolve of a rule that names none, addressed to the app's owner and master and not
 * its developer; a webhook receiver gets Alertmanager's version 4 payload; a muted rule's receiver gets
 * nothing. Debian's Prometheus, scraping the manager with a token, loads {@code rules.yml} and fires
 * the same rule.
 */
@EtcdCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertIT {
  static Cluster cluster;
  static Path dir;
  static SmtpSink mail;
  static WebhookSink hook;
  static WebhookSink mutedHook;
  static final String APP = """
      name: alerty
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 1
      memory: 32m
      ports: [8080]
      alerts:
        - name: few
          when: instances_running < 2
          for: 10s
          severity: critical
      """;

  @BeforeAll
  static void setUp(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-alert-it");
    mail = SmtpSink.start(dir, EtcdCluster.SMTP_PORT);
    hook = new WebhookSink();
    mutedHook = new WebhookSink();
    assertThat(berth("user", "edit", "admin", "--email", "owner@example.com").exit()).isZero();
    for (String u : List.of("alert-master", "alert-dev")) {
      BerthProcess.Result r = BerthProcess.runWithStdin(Duration.ofSeconds(60), "pw-" + u + "-1234", "user", "create", u,
          "--password-stdin", "--email", u + "@example.com", "--api", cluster.apiUrl(), "--data", cluster.managerData().toString());
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  /** Every recipient of every message received so far. */
  static List<String> recipients() throws Exception {
    List<String> out = new ArrayList<>();
    for (String m : mail.messages()) out.addAll(SmtpSink.recipients(m));
    return out;
  }

  @AfterAll
  static void removeTheApp() throws Exception {
    if (cluster.manager().isAlive() && cluster.api().get("/v1/apps/alerty") != null) berth("app", "rm", "alerty");
    for (String u : List.of("alert-master", "alert-dev")) berth("user", "rm", u);
    hook.close();
    mutedHook.close();
    mail.close();
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(120), args);
  }

  static JsonNode rule(String name) {
    JsonNode rules = cluster.api().get("/v1/apps/alerty/alerts");
    if (rules == null) return null;
    for (JsonNode r : rules) if (r.path("name").asText().equals(name)) return r;
    return null;
  }

  static List<String> transitions() {
    List<String> out = new ArrayList<>();
    JsonNode h = cluster.api().get("/v1/alerts/history?app=alerty");
    if (h != null) for (JsonNode t : h) out.add(0, t.path("rule").asText() + " " + t.path("to").asText());
    return out;
  }

  @Test
  @Order(1)
  void aRuleFromTheManifestArrivesWithTheDeployAndFiresAfterItsFor() throws Exception {
    Path file = dir.resolve("alerty.yml");
    Files.writeString(file, APP);
    long t0 = System.nanoTime();
    BerthProcess.Result r = berth("app", "deploy", "-f", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(berth("member", "add", "--app", "alerty", "alert-master", "master").exit()).isZero();
    assertThat(berth("member", "add", "--app", "alerty", "alert-dev", "developer").exit()).isZero();
    assertThat(rule("few").path("source").asText()).isEqualTo("manifest");
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
        .until(() -> "firing".equals(rule("few").path("state").asText()));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("for 10s plus two evaluations (2 s here, 10 s by default), and the deploy").isLessThan(Duration.ofSeconds(45));
    assertThat(transitions()).containsSubsequence("few pending", "few firing");
    JsonNode firing = cluster.api().get("/v1/alerts");
    assertThat(firing.toString()).contains("\"name\":\"few\"").contains("\"state\":\"firing\"");
    // A rule that names no receiver tells the app's owner and master, by e-mail, and not its developer.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> recipients().containsAll(List.of("owner@example.com", "alert-master@example.com")));
    assertThat(recipients()).doesNotContain("alert-dev@example.com");
    assertThat(mail.messages()).allSatisfy(m -> assertThat(m).contains("Subject: [FIRING").contains("few"));
  }

  @Test
  @Order(2)
  void debiansPrometheusLoadsTheRulesScrapesTheManagerWithATokenAndFiresTheRuleToo() throws Exception {
    Path prometheus = Path.of("/usr/bin/prometheus");
    assertThat(prometheus).as("Debian's prometheus (.ci/run installs it)").isExecutable();
    Path home = Files.createDirectories(dir.resolve("prometheus"));
    String token = cluster.adminToken();
    HttpRequest get = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + "/v1/alerts/rules.yml"))
        .header("Authorization", "Bearer " + token).build();
    String rules;
    try (HttpClient client = HttpClient.newHttpClient()) {
      rules = client.send(get, HttpResponse.BodyHandlers.ofString()).body();
    }
    assertThat(rules).contains("alert: alerty_few");
    Files.writeString(home.resolve("rules.yml"), rules);
    Files.writeString(home.resolve("token"), token);
    Files.writeString(home.resolve("prometheus.yml"), """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: [%s]
        scrape_configs:
          - job_name: berth
            authorization: {credentials_file: %s}
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """.formatted(home.resolve("rules.yml"), home.resolve("token"), cluster.apiPort()));
    int port = Ports.free();
    try (BerthProcess p = BerthProcess.exec("prometheus", home, List.of(prometheus.toString(), "--config.file=" + home.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port))) {
      Ports.awaitListening("127.0.0.1", port, Duration.ofSeconds(30));
      HttpRequest alerts = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/alerts")).build();
      try (HttpClient client = HttpClient.newHttpClient()) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          String body = client.send(alerts, HttpResponse.BodyHandlers.ofString()).body();
          return body.contains("\"alertname\":\"alerty_few\"") && body.contains("\"state\":\"firing\"");
        });
      }
    }
  }

  @Test
  @Order(3)
  void theClisRulesAndMutesStandBesideTheManifests() throws Exception {
    BerthProcess.Result r = berth("alert", "add", "alerty", "--name", "busy", "--when", "cpu > 1000%", "--for", "1m");
    assertThat(r.exit()).as(r.err()).isZero();
    r = berth("alert", "add", "alerty", "--name", "bad", "--when", "cpux > 1");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("unknown metric 'cpux' at 1");
    assertThat(berth("alert", "mute", "alerty/few", "--for", "1h").exit()).isZero();
    assertThat(rule("few").path("muted_until").isTextual()).isTrue();
    r = berth("alert", "rm", "alerty/few");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("remove it there and deploy");
    assertThat(berth("alert", "ls", "alerty").out()).contains("alerty/few").contains("alerty/busy");
    assertThat(berth("alert", "unmute", "alerty/few").exit()).isZero();
  }

  @Test
  @Order(4)
  void aWebhookGetsAlertmanagersPayloadAndAMutedRulesReceiverNothing() throws Exception {
    assertThat(berth("alert", "add", "alerty", "--name", "hooked", "--when", "instances_running < 5", "--for", "0s",
        "--webhook", hook.url()).exit()).isZero();
    assertThat(berth("alert", "add", "alerty", "--name", "quiet", "--when", "instances_running < 5", "--for", "15s",
        "--webhook", mutedHook.url()).exit()).isZero();
    assertThat(berth("alert", "mute", "alerty/quiet", "--for", "1h").exit()).isZero();
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> !hook.bodies().isEmpty());
    JsonNode payload = JsonMapper.builder().build().readTree(hook.bodies().get(0));
    assertThat(payload.path("version").asText()).isEqualTo("4");
    assertThat(payload.path("status").asText()).isEqualTo("firing");
    assertThat(payload.path("alerts").get(0).path("labels").path("alertname").asText()).isEqualTo("hooked");
    assertThat(payload.path("alerts").get(0).path("labels").path("app").asText()).isEqualTo("alerty");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> "firing".equals(rule("quiet").path("state").asText()));
    Thread.sleep(5_000); // a notification would leave within the 2 s grouping wait
    assertThat(mutedHook.bodies()).as("a muted rule fires, and tells nobody").isEmpty();
    assertThat(berth("alert", "rm", "alerty/hooked").exit()).isZero();
    assertThat(berth("alert", "rm", "alerty/quiet").exit()).isZero();
  }

  @Test
  @Order(5)
  void itResolvesOnceTheAppHasEnoughInstances() throws Exception {
    assertThat(berth("app", "scale", "alerty", "2").exit()).isZero();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> "resolved".equals(rule("few").path("state").asText()));
    assertThat(transitions()).containsSubsequence("few pending", "few firing", "few resolved");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> mail.messages().stream().anyMatch(m -> m.contains("Subject: [RESOLVED")));
    assertThat(berth("alert", "rm", "alerty/busy").exit()).isZero();
  }
}
