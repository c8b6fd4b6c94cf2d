package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.app.AppLrps;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.app.Autoscale;
import io.berth.core.app.ManifestRules;
import io.berth.core.error.BerthException;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.HealthCheck;
import io.berth.core.lrp.LrpValidation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The manifest reader and its rules: what docs/apps.md promises about fields, defaults and errors. */
class ManifestYamlTest {
  static final String HELLO = """
      name: hello
      image: berth/busybox:1              # or registry/repo:tag
      command: [httpd, -f, -p, "8080", -h, /www]
      instances: 3
      cpus: 0.1
      memory: 64m
      env: {GREETING: hi}
      ports: [8080]
      health: {http: /, port: 8080, interval: 2s, timeout: 1s, start_timeout: 60s}
      routes: [hello.berth.local]
      deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 5s}
      """;

  static AppManifest resolve(String text) {
    return ManifestRules.resolve(ManifestYaml.read(text), Optional.empty(), Optional.empty());
  }

  @Test
  void theIssuesManifestReadsAndBecomesItsDesiredLrp() {
    AppManifest m = resolve(HELLO);
    assertThat(m.deploy().strategy()).isEqualTo(AppManifest.Strategy.ROLLING);
    assertThat(m.deploy().minHealthyDuration()).hasSeconds(5);
    assertThat(m.routerGroup()).isEqualTo("default");
    DesiredLrp d = AppLrps.desired(new AppVersion("hello", 2, m, "admin", Instant.now(), ""), 3);
    assertThat(d.processGuid()).isEqualTo(new ProcessGuid("hello-v2"));
    assertThat(d.rootfs()).isEqualTo("docker:///berth/busybox#1");
    assertThat(d.memoryMb()).isEqualTo(64);
    assertThat(d.ports()).containsExactly(8080);
    assertThat(d.healthCheck()).isEqualTo(new HealthCheck(HealthCheck.Kind.HTTP, 8080, "/", 2000, 1000));
    assertThat(d.startTimeout()).isEqualTo(60);
    LrpValidation.desiredLrp(d, 0); // what the Receptor API would accept
    assertThat(Json.read(Json.bytes(m), AppManifest.class)).isEqualTo(m); // stored and read back alike
  }

  @Test
  void aLaterDeployMayNameOnlyTheImageAndKeepsTheRest() {
    AppManifest v1 = resolve(HELLO);
    AppManifest v2 = ManifestRules.resolve(ManifestYaml.read("name: hello\nimage: 127.0.0.1:5000/team/hello:v2\n"),
        Optional.of(v1), Optional.of(5));
    assertThat(v2).isEqualTo(new AppManifest("hello", "127.0.0.1:5000/team/hello:v2", v1.command(), 5, v1.cpus(), v1.memory(),
        v1.env(), v1.ports(), v1.health(), v1.routes(), v1.routerGroup(), v1.deploy(), List.of(), null));
    assertThat(AppLrps.rootfs(v2.image())).isEqualTo("docker://127.0.0.1:5000/team/hello#v2");
  }

  @Test
  void defaultsFillWhatAFirstManifestLeavesOut() {
    AppManifest m = resolve("name: tiny\nimage: berth/busybox:1\ncommand: [sleep, '600']\n");
    assertThat(m.instances()).isEqualTo(1);
    assertThat(m.memory()).isEqualTo("128m");
    assertThat(m.health()).isNull();
    assertThat(m.deploy()).isEqualTo(new AppManifest.Deploy(AppManifest.Strategy.ROLLING, 1, 0, "0s", 1, "5m"));
  }

  @Test
  void readsAutoscaleWithPercentagesAndRequests() {
    AppManifest m = resolve(HELLO + "autoscale: {min: 2, max: 10, cpu: 60%, memory: 70, requests_per_instance: 50}\n");
    assertThat(m.autoscale()).isEqualTo(new Autoscale(2, 10, "60%", "70", 50.0));
    assertThat(m.autoscale().memoryPercent()).isEqualTo(70);
    assertThat(resolve(HELLO).autoscale()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown field        | instances: 3         | replicas: 3               | unknown field 'replicas' (line 4); known fields: alerts, autoscale, command, cpus, deploy
      unknown nested field | min_healthy: 5s      | min_healty: 5s            | deploy: unknown field 'min_healty' (line 11)
      bad duration         | interval: 2s         | interval: soon            | health.interval: invalid duration 'soon'
      port not in ports    | port: 8080, interval | port: 9090, interval      | health.port: 9090 is not in ports [8080]
      wrong type           | instances: 3         | instances: three          | instances: a whole number expected, got 'three'
      a string command     | command: [httpd, -f, -p, "8080", -h, /www] | command: httpd -f | command: a list expected
      bad strategy         | strategy: rolling    | strategy: big-bang        | deploy.strategy: one of rolling, canary, blue-green expected, got 'big-bang'
      bad route            | [hello.berth.local]  | [Hello_World]             | routes[0]: must be a lower-case host name
      bad memory           | memory: 64m          | memory: lots              | memory: must be a size like 64m or 1g
      bad name             | name: hello          | name: Hello World         | name: must be 1-32 lower-case letters
      no surge, no room    | max_surge: 1         | max_surge: 0              | deploy: max_surge and max_unavailable cannot both be 0
      timeout over interval| timeout: 1s          | timeout: 5s               | health.timeout: must be more than 0 and at most the interval (2s), got 5s
      not yaml             | env: {GREETING: hi}  | env: {GREETING: hi        | not valid YAML
      autoscale min > max  | instances: 3         | autoscale: {min: 5, max: 2, cpu: 60%} | autoscale.min: min 5 is above max 2
      autoscale metric     | instances: 3         | autoscale: {min: 1, max: 2, disk: 60%} | autoscale: unknown field 'disk'
      autoscale unit       | instances: 3         | autoscale: {min: 1, max: 2, cpu: 60 cores} | autoscale.cpu: must be a percentage like 60%
      autoscale limit      | instances: 3         | autoscale: {min: 1, max: 5000, memory: 70%} | autoscale.max: must be at most the instance limit 1000
      """)
  void mistakesAreNamedByField(String what, String from, String to, String message) {
    assertThat(HELLO).contains(from);
    assertThatThrownBy(() -> resolve(HELLO.replace(from, to)))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessageContaining(message)
        .extracting(e -> ((BerthException) e).name()).isEqualTo("InvalidManifest");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> resolve("name: x\nimage: berth/busybox:1\ncommand: [a]\ninstances: -1\nports: [0]\nroutes: [a.b]\n"))
        .hasMessage("instances: must be from 0 to 1000, got -1; ports[0]: must be a port from 1 to 65535, got 0");
    assertThatThrownBy(() -> resolve("name: x\n")).hasMessage("image: required (e.g. berth/busybox:1 or 127.0.0.1:5000/team/app:v1); "
        + "command: required: the process to run, e.g. [httpd, -f, -p, \"8080\"]");
    assertThatThrownBy(() -> ManifestYaml.read("")).hasMessage("the manifest is empty");
    assertThat(List.of(AppManifest.Strategy.values())).extracting(Object::toString).containsExactly("rolling", "canary", "blue-green");
  }
}
