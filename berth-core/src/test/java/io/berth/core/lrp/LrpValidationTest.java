package io.berth.core.lrp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LrpValidationTest {
  static final Action RUN = new Action.Run("/bin/sh", List.of("-c", "sleep 600"), null, null, null, "root", null);

  static final DesiredLrp LRP = new DesiredLrp(new ProcessGuid("web-1"), new Domain("apps"), "docker:///busybox#1", 3, List.of(), 0, 0, 128, false,
      null, RUN, null, null, 60, List.of(8080), Map.of(), null, null, null, "", List.of(), null);

  static final Task TASK = new Task(new TaskGuid("job_1"), new Domain("apps"), "docker:///busybox", List.of(), 0, 0, 0, false, RUN, "/out", "",
      null, null, null, null, List.of(), null, null, false, null, null, 0);

  @Test
  void aWellFormedLrpAndTaskPass() {
    assertThatCode(() -> LrpValidation.desiredLrp(LRP, 2)).doesNotThrowAnyException();
    assertThatCode(() -> LrpValidation.task(TASK)).doesNotThrowAnyException();
    assertThatCode(() -> LrpValidation.update(new DesiredLrpUpdate(null, null, null), 0)).doesNotThrowAnyException();
    DesiredLrp rich = lrp(b -> b.ports(List.of(8080, 9090)).health(new HealthCheck(HealthCheck.Kind.HTTP, 9090, "/healthz"))
        .cpu(100).setup(new Action.Download(null, "https://example.com/app.tgz", "/app", "vcap", "app", null))
        .egress(List.of(
            rule("protocol", "tcp", "destinations", List.of("10.0.0.0/8", "1.2.3.4-1.2.3.9", "::1"), "ports", List.of(80, 443)),
            rule("protocol", "udp", "destinations", List.of("2001:db8::/32"), "port_range", Map.of("start", 53, "end", 53)),
            rule("protocol", "icmp", "destinations", List.of("0.0.0.0/0"), "icmp_info", Map.of("type", 0, "code", 0)),
            rule("protocol", "all", "destinations", List.of("1.2.3.4"), "log", true))));
    assertThatCode(() -> LrpValidation.desiredLrp(rich, 0)).doesNotThrowAnyException();
  }

  /** One row per rule: a change to a valid LRP and the whole message it must produce. */
  static Stream<Arguments> lrpRules() {
    return Stream.of(
        row("guid required", b -> b.guid(""), "process_guid: required"),
        row("guid characters", b -> b.guid("web.1"), "process_guid: may contain only a-z, A-Z, 0-9, '_' and '-', got \"web.1\""),
        row("domain required", b -> b.domain(null), "domain: required"),
        row("rootfs required", b -> b.rootfs(""), "rootfs: required"),
        row("rootfs docker url", b -> b.rootfs("busybox:1"),
            "rootfs: must be docker:///IMAGE#TAG or docker://HOST:PORT/IMAGE#TAG: busybox:1"),
        row("rootfs image name", b -> b.rootfs("docker:///BusyBox"), "rootfs: names no valid image: docker:///BusyBox"),
        row("rootfs preloaded", b -> b.rootfs("preloaded:cflinuxfs2"),
            "rootfs: Berth has no preloaded root filesystems; give a Docker image as docker:///IMAGE#TAG, got \"preloaded:cflinuxfs2\""),
        row("instances >= 0", b -> b.instances(-1), "instances: must be between 0 and 10000, got -1"),
        row("instances limit", b -> b.instances(10_001), "instances: must be between 0 and 10000, got 10001"),
        row("env name", b -> b.env(List.of(new Action.EnvVar("", "x"))), "env[0].name: required"),
        row("env name '='", b -> b.env(List.of(new Action.EnvVar("A=B", "x"))), "env[0].name: must not contain '=', got \"A=B\""),
        row("cpu_weight high", b -> b.cpu(150), "cpu_weight: must be between 1 and 100, got 150"),
        row("cpu_weight negative", b -> b.cpu(-1), "cpu_weight: must be between 1 and 100, got -1"),
        row("disk_mb", b -> b.disk(-1), "disk_mb: must be >= 0, got -1"),
        row("memory_mb", b -> b.memory(-5), "memory_mb: must be >= 0, got -5"),
        row("start_timeout", b -> b.startTimeout(-1), "start_timeout: must be >= 0 seconds, got -1"),
        row("action required", b -> b.action(null), "action: required"),
        row("setup checked", b -> b.setup(new Action.Run("", null, null, null, null, "root", null)), "setup.run.path: required"),
        row("monitor checked", b -> b.monitor(new Action.Run("/bin/true", null, null, null, null, null, null)),
            "monitor.run.user: required"),
        row("port range", b -> b.ports(List.of(8080, 0, 70000)),
            "ports[1]: must be between 1 and 65535, got 0; ports[2]: must be between 1 and 65535, got 70000"),
        row("port twice", b -> b.ports(List.of(8080, 8080)), "ports[1]: 8080 is listed twice"),
        row("port count", b -> b.ports(IntStream.rangeClosed(1, 101).boxed().toList()), "ports: at most 100 ports, got 101"),
        row("health type", b -> b.health(new HealthCheck(null, 8080, null)), "health_check.type: required: tcp or http"),
        row("health port", b -> b.health(new HealthCheck(HealthCheck.Kind.TCP, 9090, null)),
            "health_check.port: must be one of the LRP's ports [8080], got 9090"),
        row("health port, no ports", b -> b.ports(List.of()).health(new HealthCheck(HealthCheck.Kind.TCP, 8080, null)),
            "health_check.port: the LRP has no ports to check; add 8080 to ports"),
        row("health http path", b -> b.health(new HealthCheck(HealthCheck.Kind.HTTP, 8080, "healthz")),
            "health_check.path: must start with '/', got \"healthz\""),
        row("health http path required", b -> b.health(new HealthCheck(HealthCheck.Kind.HTTP, 8080, "")),
            "health_check.path: required for an http check, e.g. \"/\""),
        row("health tcp path", b -> b.health(new HealthCheck(HealthCheck.Kind.TCP, 8080, "/")),
            "health_check.path: only for an http check; a tcp check has no path"),
        row("annotation size", b -> b.annotation("é".repeat(5121)), "annotation: must be at most 10240 bytes, got 10242"),
        row("several at once", b -> b.guid("").domain("").cpu(101),
            "process_guid: required; domain: required; cpu_weight: must be between 1 and 100, got 101"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lrpRules")
  void rejectsAnLrpNamingTheField(String rule, UnaryOperator<LrpBuilder> change, String message) {
    assertThatThrownBy(() -> LrpValidation.desiredLrp(lrp(change), 2))
        .isInstanceOf(BerthException.Invalid.class).hasMessage(message);
  }

  static Stream<Arguments> actionRules() {
    Action noPath = new Action.Run(null, null, null, null, null, "root", null);
    return Stream.of(
        Arguments.of("run path, deep in a serial", new Action.Serial(List.of(RUN, noPath), null), "action.serial.actions[1].run.path: required"),
        Arguments.of("run user", new Action.Run("/bin/true", null, null, null, null, "", null), "action.run.user: required"),
        Arguments.of("run env", new Action.Run("/bin/true", null, null, List.of(new Action.EnvVar(null, "v")), null, "root", null),
            "action.run.env[0].name: required"),
        Arguments.of("run nofile", new Action.Run("/bin/true", null, null, null, new Action.ResourceLimits(-1L), "root", null),
            "action.run.resource_limits.nofile: must be >= 0, got -1"),
        Arguments.of("download needs everything", new Action.Download(null, null, null, null, null, null),
            "action.download.from: required; action.download.to: required; action.download.user: required"),
        Arguments.of("download from url", new Action.Download(null, "ftp://x/a.tgz", "/app", "root", null, null),
            "action.download.from: must be an http:// or https:// URL, got \"ftp://x/a.tgz\""),
        Arguments.of("download to absolute", new Action.Download(null, "http://x/a.tgz", "app", "root", null, null),
            "action.download.to: must be an absolute path, got \"app\""),
        Arguments.of("upload needs everything", new Action.Upload(null, null, null, null, null),
            "action.upload.from: required; action.upload.to: required; action.upload.user: required"),
        Arguments.of("upload to url", new Action.Upload(null, "/out", "/not/a/url", "root", null),
            "action.upload.to: must be an http:// or https:// URL, got \"/not/a/url\""),
        Arguments.of("serial empty", new Action.Serial(List.of(), null), "action.serial.actions: must list at least one action"),
        Arguments.of("parallel empty", new Action.Parallel(null, null), "action.parallel.actions: must list at least one action"),
        Arguments.of("codependent empty", new Action.Codependent(List.of(), null),
            "action.codependent.actions: must list at least one action"),
        Arguments.of("codependent inner", new Action.Codependent(List.of(noPath), null), "action.codependent.actions[0].run.path: required"),
        Arguments.of("emit_progress inner", new Action.EmitProgress(null, "go", null, null, null), "action.emit_progress.action: required"),
        Arguments.of("timeout inner and > 0", new Action.Timeout(null, 0, null),
            "action.timeout.action: required; action.timeout.timeout: must be > 0 nanoseconds, got 0"),
        Arguments.of("try inner", new Action.Try(null, null), "action.try.action: required"),
        Arguments.of("deep nesting", new Action.Try(new Action.Timeout(new Action.EmitProgress(new Action.Parallel(
            List.of(RUN, new Action.Serial(List.of(noPath), null)), null), null, null, null, null), 5, null), null),
            "action.try.action.timeout.action.emit_progress.action.parallel.actions[1].serial.actions[0].run.path: required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actionRules")
  void rejectsAnActionTreeNamingThePath(String rule, Action action, String message) {
    assertThatThrownBy(() -> LrpValidation.desiredLrp(lrp(b -> b.action(action)), 0))
        .isInstanceOf(BerthException.Invalid.class).hasMessage(message);
  }

  static Stream<Arguments> egressRules() {
    List<String> anywhere = List.of("0.0.0.0/0");
    return Stream.of(
        Arguments.of("protocol required", rule("destinations", anywhere), "egress_rules[0].protocol: required: tcp, udp, icmp or all"),
        Arguments.of("protocol known", rule("protocol", "sctp", "destinations", anywhere),
            "egress_rules[0].protocol: must be tcp, udp, icmp or all, got \"sctp\""),
        Arguments.of("destinations required", rule("protocol", "all"),
            "egress_rules[0].destinations: required: a list of IP addresses, ranges (1.2.3.4-1.2.3.9) or CIDRs (10.0.0.0/8)"),
        Arguments.of("destinations not empty", rule("protocol", "all", "destinations", List.of()),
            "egress_rules[0].destinations: must list at least one destination"),
        Arguments.of("destination form", rule("protocol", "all", "destinations", List.of("1.2.3.4", "1.2.3.256", "10.0.0.0/33", "1.2.3.9-1.2.3.4", "example.com")),
            "egress_rules[0].destinations[1]: must be an IP address, a range (1.2.3.4-1.2.3.9) or a CIDR (10.0.0.0/8), got \"1.2.3.256\"; "
                + "egress_rules[0].destinations[2]: must be an IP address, a range (1.2.3.4-1.2.3.9) or a CIDR (10.0.0.0/8), got \"10.0.0.0/33\"; "
                + "egress_rules[0].destinations[3]: must be an IP address, a range (1.2.3.4-1.2.3.9) or a CIDR (10.0.0.0/8), got \"1.2.3.9-1.2.3.4\"; "
                + "egress_rules[0].destinations[4]: must be an IP address, a range (1.2.3.4-1.2.3.9) or a CIDR (10.0.0.0/8), got \"example.com\""),
        Arguments.of("tcp needs ports", rule("protocol", "tcp", "destinations", anywhere), "egress_rules[0]: a tcp rule needs ports or port_range"),
        Arguments.of("udp ports xor range", rule("protocol", "udp", "destinations", anywhere, "ports", List.of(53),
            "port_range", Map.of("start", 1, "end", 2)), "egress_rules[0]: give ports or port_range, not both"),
        Arguments.of("ports range", rule("protocol", "tcp", "destinations", anywhere, "ports", List.of(0, "80")),
            "egress_rules[0].ports[0]: must be between 1 and 65535, got 0; egress_rules[0].ports[1]: must be an integer, got \"80\""),
        Arguments.of("ports not empty", rule("protocol", "tcp", "destinations", anywhere, "ports", List.of()),
            "egress_rules[0].ports: must list at least one port"),
        Arguments.of("port_range order", rule("protocol", "tcp", "destinations", anywhere, "port_range", Map.of("start", 90, "end", 80)),
            "egress_rules[0].port_range: start 90 is after end 80"),
        Arguments.of("port_range fields", rule("protocol", "tcp", "destinations", anywhere, "port_range", Map.of("start", 1, "stop", 2)),
            "egress_rules[0].port_range: unknown field 'stop'; egress_rules[0].port_range.end: required"),
        Arguments.of("icmp needs icmp_info", rule("protocol", "icmp", "destinations", anywhere),
            "egress_rules[0].icmp_info: required for protocol icmp"),
        Arguments.of("icmp_info only for icmp", rule("protocol", "all", "destinations", anywhere, "icmp_info", Map.of("type", 1, "code", 0)),
            "egress_rules[0].icmp_info: only for protocol icmp"),
        Arguments.of("icmp type range", rule("protocol", "icmp", "destinations", anywhere, "icmp_info", Map.of("type", 256, "code", 0)),
            "egress_rules[0].icmp_info.type: must be between 0 and 255, got 256"),
        Arguments.of("icmp takes no ports", rule("protocol", "icmp", "destinations", anywhere, "icmp_info", Map.of("type", 1, "code", 0),
            "ports", List.of(1)), "egress_rules[0].ports: only for protocol tcp or udp"),
        Arguments.of("all takes no port_range", rule("protocol", "all", "destinations", anywhere, "port_range", Map.of("start", 1, "end", 2)),
            "egress_rules[0].port_range: only for protocol tcp or udp"),
        Arguments.of("no log for udp", rule("protocol", "udp", "destinations", anywhere, "ports", List.of(53), "log", true),
            "egress_rules[0].log: not allowed for protocol udp"),
        Arguments.of("no log for icmp", rule("protocol", "icmp", "destinations", anywhere, "icmp_info", Map.of("type", 1, "code", 0), "log", true),
            "egress_rules[0].log: not allowed for protocol icmp"),
        Arguments.of("log is a flag", rule("protocol", "tcp", "destinations", anywhere, "ports", List.of(1), "log", "yes"),
            "egress_rules[0].log: must be true or false, got \"yes\""),
        Arguments.of("unknown field", rule("protocol", "all", "destinations", anywhere, "direction", "out"),
            "egress_rules[0]: unknown field 'direction'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("egressRules")
  void rejectsAnEgressRuleNamingTheField(String rule, Map<String, Object> egress, String message) {
    assertThatThrownBy(() -> LrpValidation.desiredLrp(lrp(b -> b.egress(List.of(egress))), 0))
        .isInstanceOf(BerthException.Invalid.class).hasMessage(message);
    Task t = new Task(new TaskGuid("t"), new Domain("d"), "docker:///busybox", null, 0, 0, 0, false, RUN, null, null, null, null, null, null,
        List.of(egress), null, null, false, null, null, 0);
    assertThatThrownBy(() -> LrpValidation.task(t)).hasMessage(message);
  }

  @Test
  void routesAreLimitedByTheirJsonSize() {
    assertThatCode(() -> LrpValidation.desiredLrp(LRP, 4096)).doesNotThrowAnyException();
    assertThatThrownBy(() -> LrpValidation.desiredLrp(LRP, 4097)).hasMessage("routes: must be at most 4096 bytes of JSON, got 4097");
    assertThatThrownBy(() -> LrpValidation.update(new DesiredLrpUpdate(null, Map.of(), null), 5000))
        .hasMessage("routes: must be at most 4096 bytes of JSON, got 5000");
  }

  @Test
  void anUpdateChecksInstancesAndAnnotation() {
    assertThatThrownBy(() -> LrpValidation.update(new DesiredLrpUpdate(-2, null, "x".repeat(10_241)), 0))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessage("instances: must be between 0 and 10000, got -2; annotation: must be at most 10240 bytes, got 10241");
    assertThatCode(() -> LrpValidation.update(new DesiredLrpUpdate(0, null, "x".repeat(10_240)), 0)).doesNotThrowAnyException();
  }

  @Test
  void aTaskChecksItsOwnFields() {
    Task bad = new Task(new TaskGuid("job 1"), new Domain(""), "docker:///busybox", null, 101, -1, -1, false, null, "out.txt", "callback",
        null, null, null, null, null, null, null, false, null, null, 0);
    assertThatThrownBy(() -> LrpValidation.task(bad)).isInstanceOf(BerthException.Invalid.class).hasMessage(String.join("; ",
        "task_guid: may contain only a-z, A-Z, 0-9, '_' and '-', got \"job 1\"",
        "domain: required",
        "cpu_weight: must be between 1 and 100, got 101",
        "disk_mb: must be >= 0, got -1",
        "memory_mb: must be >= 0, got -1",
        "action: required",
        "result_file: must be an absolute path, got \"out.txt\"",
        "completion_callback_url: must be an http:// or https:// URL, got \"callback\""));
  }

  @Test
  void manyProblemsAreCutShort() {
    List<Integer> ports = new ArrayList<>(Collections.nCopies(30, 0));
    assertThatThrownBy(() -> LrpValidation.desiredLrp(lrp(b -> b.ports(ports)), 0))
        .hasMessageStartingWith("ports[0]: must be between 1 and 65535, got 0; ports[1]:").hasMessageEndingWith("; and 10 more");
  }

  static Map<String, Object> rule(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Arguments row(String rule, UnaryOperator<LrpBuilder> change, String message) {
    return Arguments.of(rule, change, message);
  }

  static DesiredLrp lrp(UnaryOperator<LrpBuilder> change) {
    return change.apply(new LrpBuilder()).build();
  }

  /** A valid LRP to change one field of; only the fields the rules touch. */
  static final class LrpBuilder {
    String guid = LRP.processGuid().value(), domain = LRP.domain().value(), rootfs = LRP.rootfs(), annotation = LRP.annotation();
    int instances = LRP.instances(), cpu = LRP.cpuWeight(), disk = LRP.diskMb(), memory = LRP.memoryMb();
    int startTimeout = LRP.startTimeout();
    List<Action.EnvVar> env = LRP.env();
    Action setup, action = LRP.action(), monitor;
    HealthCheck health;
    List<Integer> ports = LRP.ports();
    List<Map<String, Object>> egress = List.of();

    LrpBuilder guid(String v) { guid = v; return this; }
    LrpBuilder domain(String v) { domain = v; return this; }
    LrpBuilder rootfs(String v) { rootfs = v; return this; }
    LrpBuilder instances(int v) { instances = v; return this; }
    LrpBuilder env(List<Action.EnvVar> v) { env = v; return this; }
    LrpBuilder cpu(int v) { cpu = v; return this; }
    LrpBuilder disk(int v) { disk = v; return this; }
    LrpBuilder memory(int v) { memory = v; return this; }
    LrpBuilder startTimeout(int v) { startTimeout = v; return this; }
    LrpBuilder setup(Action v) { setup = v; return this; }
    LrpBuilder action(Action v) { action = v; return this; }
    LrpBuilder monitor(Action v) { monitor = v; return this; }
    LrpBuilder health(HealthCheck v) { health = v; return this; }
    LrpBuilder ports(List<Integer> v) { ports = v; return this; }
    LrpBuilder annotation(String v) { annotation = v; return this; }
    LrpBuilder egress(List<Map<String, Object>> v) { egress = v; return this; }

    DesiredLrp build() {
      return new DesiredLrp(guid == null ? null : new ProcessGuid(guid), domain == null ? null : new Domain(domain), rootfs, instances, env, cpu, disk, memory, false, setup, action, monitor, health,
          startTimeout, ports, Map.of(), null, null, null, annotation, egress, null);
    }
  }
}
