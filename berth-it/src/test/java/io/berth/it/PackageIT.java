package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package as an operator uses it (issue 19's first test on real parts): {@code apt
 * install ./berth_….deb} into a {@link CleanRoot}, the units checked with {@code systemd-analyze
 * verify}, and each unit's own command line and env file run as installed (no systemd runs here):
 * the manager; an agent joined with the line {@code berth join-token --command} prints, on its own
 * dockerd (node 54); an app deployed with the installed CLI and served by the router's nginx; the
 * agent then by its unit, adopting the app's container; all stopped by SIGTERM; and the package
 * upgraded, removed and purged.
 *
 * <p>The package is {@code -Dberth.deb=PATH}, or made from the jar the build just made by
 * {@code scripts/release --skip-build --no-lintian} (lintian is the release's check, not this one's).
 */
@BerthCluster(nodes = 1, firstNode = 54, manager = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageIT {
  static final String UNIT = "/lib/systemd/system/berth-manager.service";
  static final String APP = """
      name: pkgweb
      image: berth/busybox:1
      command: [/bin/sh, -c, "echo installed by apt > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
      ports: [8080]
      routes: [pkgweb.berth.local]
      """;
  static LocalEngine engine;
  static CleanRoot root;
  static UnitFile unit;
  static Path debCopy;
  static BerthProcess manager;
  static BerthProcess agent;
  /** The printed join line as this test filled it in. */
  static String joined;

  @BeforeAll
  static void install(Cluster c) throws Exception {
    engine = c.engines().get(0);
    long t0 = System.nanoTime();
    Path deb = deb();
    root = CleanRoot.create();
    debCopy = Files.copy(deb, root.dir().resolve(deb.getFileName()));
    BerthProcess.Result apt = aptInstall();
    assertThat(apt.exit()).as("apt install in the clean root:\n" + apt.out() + apt.err()).isZero();
    System.out.println("berth-it: package made and installed with apt in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    unit = UnitFile.parse(Files.readString(root.file(UNIT)));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (root != null) root.close();
  }

  /**
   * The operator's line from docs/operate.md, without the recommended JRE (Debian 12 has none), docker.io and nginx,
   * which apt would fetch when missing: the host's Temurin under /usr/lib/jvm runs Berth, and nothing needs the network.
   */
  static BerthProcess.Result aptInstall() throws IOException, InterruptedException {
    return root.run(Duration.ofMinutes(3), "cd " + root.dir() + " && apt install -y -q --no-install-recommends ./" + debCopy.getFileName());
  }

  /** The package as the test command left it, or as scripts/release makes it from the built jar. */
  static Path deb() throws IOException, InterruptedException {
    String given = System.getProperty("berth.deb", "");
    if (!given.isBlank()) return Path.of(given).toAbsolutePath();
    Path checkout = BerthProcess.JAR.getParent().getParent().getParent();
    Process release = new ProcessBuilder(checkout.resolve("scripts/release").toString(), "--skip-build", "--no-lintian")
        .redirectErrorStream(true).start();
    String out = new String(release.getInputStream().readAllBytes());
    assertThat(release.waitFor(2, TimeUnit.MINUTES) && release.exitValue() == 0).as("scripts/release: " + out).isTrue();
    Matcher m = Pattern.compile("berth release: (\\S+\\.deb)").matcher(out);
    assertThat(m.find()).as("scripts/release named no .deb: " + out).isTrue();
    return Path.of(m.group(1));
  }

  @Test
  @Order(1)
  void theInstalledPackageHasItsFilesAndUnitsThatSystemdAccepts() throws Exception {
    BerthProcess.Result status = root.run(Duration.ofSeconds(30), "dpkg-query -W -f '${Status}' berth; echo; berth version");
    assertThat(status.out()).as(status.err()).startsWith("install ok installed\nberth ");
    assertThat(Files.isDirectory(root.file("/var/lib/berth"))).isTrue();
    assertThat(Files.readString(root.file("/etc/berth/manager.env"))).contains("BERTH_MANAGER_ARGS=");
    // A template is verified as one of its instances, the way systemd would load it.
    BerthProcess.Result verify = root.run(Duration.ofSeconds(60), "mkdir -p /run/berth-verify"
        + " && cp '/lib/systemd/system/berth-router@.service' /run/berth-verify/berth-router@default.service"
        + " && systemd-analyze verify --man=no " + UNIT + " /lib/systemd/system/berth-agent.service"
        + " /run/berth-verify/berth-router@default.service");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(unit.environmentFiles()).containsExactly("/etc/berth/manager.env");
    assertThat(unit.execStart()).isEqualTo("/usr/bin/berth manage $BERTH_MANAGER_ARGS");
  }

  @Test
  @Order(2)
  void theUnitsCommandLineWithItsConfigFileMissingSaysWhichAndStartsNothing() throws Exception {
    Path env = root.file("/etc/berth/manager.env");
    Path aside = root.file("/etc/berth/manager.env.aside");
    Files.move(env, aside);
    try {
      BerthProcess.Result r = root.run(Duration.ofSeconds(30), unit.shellLine());
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
      assertThat(r.err().strip()).contains("cannot open /etc/berth/manager.env").doesNotContain("\n");
      assertThat(r.out()).isEmpty();
      // Its ExecStart run bare, as a hand-written line without the file: Berth itself names what is missing.
      BerthProcess.Result bare = root.run(Duration.ofSeconds(60), "exec " + unit.execStart());
      assertThat(bare.exit()).as(bare.out() + bare.err()).isEqualTo(2);
      assertThat(bare.err()).contains("Missing required option: '--store=URL'").doesNotContain("Exception");
      assertThat(root.file("/var/lib/berth/berth.db")).doesNotExist();
    } finally {
      Files.move(aside, env);
    }
  }

  @Test
  @Order(3)
  void theManagerRunsByItsUnitsLineAnAgentJoinsWithThePrintedLineAndAnAppServesThroughTheRouterUnit() throws Exception {
    int api = Ports.free();
    int cluster = Ports.free();
    // The operator's one edit of each env file: this host's ports are taken by other tests, so each gets its own.
    String store = "--store sqlite:///var/lib/berth/berth.db";
    editArgs("/etc/berth/manager.env", "BERTH_MANAGER_ARGS", store, store
        + " --api-addr 127.0.0.1:" + api + " --cluster-addr 127.0.0.1:" + cluster + " --docker-addr 127.0.0.1:" + Ports.free());
    long t0 = System.nanoTime();
    manager = root.start("manager", unit.shellLine());
    manager.awaitLine("berth manager is running", Duration.ofSeconds(90));
    System.out.println("berth-it: packaged manager running in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    assertThat(root.file("/var/lib/berth/berth.db")).exists();

    BerthProcess.Result line = root.run(Duration.ofSeconds(60), "berth join-token --command");
    assertThat(line.exit()).as(line.err()).isZero();
    String join = line.out().strip();
    assertThat(join).matches("berth join --manager 127\\.0\\.0\\.1:" + cluster + " --token \\S+ --advertise auto");
    // Filled in as an operator of this test host would: free ports, the test node's engine, and a data dir the
    // engine sees too (it bind-mounts instances' dirs from the host, where the root's /var/lib/berth is not).
    joined = join.replace("--advertise auto", "--advertise auto:" + Ports.free()) + " --metrics-addr 127.0.0.1:" + Ports.free()
        + " --engine " + engine.socket() + " --name pkg54 --data " + root.dir().resolve("agent");
    agent = root.start("agent", "exec " + joined);
    ManagerApi client = new ManagerApi("http://127.0.0.1:" + api, root.file("/var/lib/berth"));
    await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(client.nodeState("pkg54")) || !agent.isAlive());
    assertThat(agent.isAlive()).as(agent.output()).isTrue();

    BerthProcess.Result deploy = root.run(Duration.ofSeconds(120), "berth app deploy -f - <<'EOF'\n" + APP + "EOF");
    assertThat(deploy.exit()).as(deploy.out() + deploy.err()).isZero();
    assertThat(deploy.out()).contains("pkgweb v1 deployed: 1 instance");
    assertThat(runningInstances()).isEqualTo(1);
    System.out.println("berth-it: packaged cluster joined and deployed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

    // The router unit's template as its instance "default", which finds the manager in /var/lib/berth as shipped.
    int port = Ports.free();
    editArgs("/etc/berth/router-default.env", "BERTH_ROUTER_ARGS", "--group default --listen 0.0.0.0:80",
        "--group default --listen 127.0.0.1:" + port);
    UnitFile routerUnit = UnitFile.parse(Files.readString(root.file("/lib/systemd/system/berth-router@.service")), "default");
    BerthProcess router = root.start("router", routerUnit.shellLine());
    router.awaitLine("berth router ready", Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(30)).until(() -> HostLoad.once("127.0.0.1", port, "pkgweb.berth.local").equals("200 installed by apt\n"));
    long nginx = Long.parseLong(Files.readString(root.file("/var/lib/berth/router-default/nginx.pid")).strip());
    assertThat(router.stop()).as(router.output()).isEqualTo(143);
    assertThat(ProcessHandle.of(nginx).filter(ProcessHandle::isAlive)).as("nginx stops with its router").isEmpty();
  }

  /** Checks that {@code key}'s arguments in the env file {@code file} are {@code shipped}, and sets them to {@code args}. */
  static void editArgs(String file, String key, String shipped, String args) throws IOException {
    Path env = root.file(file);
    String text = Files.readString(env);
    Matcher line = Pattern.compile("(?m)^" + key + "=\"(.*)\"$").matcher(text);
    assertThat(line.find()).as(text).isTrue();
    assertThat(line.group(1)).isEqualTo(shipped);
    Files.writeString(env, text.replace(line.group(0), key + "=\"" + args + "\""));
  }

  @Test
  @Order(4)
  void fromThenOnTheAgentRunsByItsUnitsLineWithoutTheTokenAndAdoptsTheRunningInstance() throws Exception {
    // SIGTERM, as systemctl stop sends it: a clean stop whose status the units count as success (SuccessExitStatus=143).
    assertThat(agent.stop()).as(agent.output()).isEqualTo(143);
    String containers = containerIds();
    // As docs/operate.md says: the line's arguments in agent.env; the node keeps its certificate, so no token.
    editArgs("/etc/berth/agent.env", "BERTH_AGENT_ARGS", "", joined.replaceFirst("^berth join ", "").replaceFirst("--token \\S+ ", ""));
    UnitFile agentUnit = UnitFile.parse(Files.readString(root.file("/lib/systemd/system/berth-agent.service")));
    BerthProcess unitAgent = root.start("agent-unit", agentUnit.shellLine());
    unitAgent.awaitLine("node-registered name=pkg54", Duration.ofSeconds(60));
    assertThat(runningInstances()).isEqualTo(1);
    assertThat(containerIds()).as("the unit's agent adopts the running instance").isEqualTo(containers);
    assertThat(unitAgent.stop()).as(unitAgent.output()).isEqualTo(143);
    assertThat(manager.stop()).as(manager.output()).isEqualTo(143);
  }

  /** How many of the app's instances {@code berth app ps} shows RUNNING. */
  static long runningInstances() throws IOException, InterruptedException {
    BerthProcess.Result ps = root.run(Duration.ofSeconds(60), "berth app ps pkgweb");
    assertThat(ps.exit()).as(ps.out() + ps.err()).isZero();
    return ps.out().lines().filter(l -> l.contains("RUNNING")).count();
  }

  /** The ids of the running containers on the test node's engine, sorted. */
  static String containerIds() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker", "-H", engine.socket(), "ps", "-q", "--no-trunc").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).isNotBlank();
    return out.lines().sorted().toList().toString();
  }

  @Test
  @Order(5)
  void anUpgradeKeepsTheEditedConfigRemoveKeepsItAndTheStorePurgeTakesBoth() throws Exception {
    // The same package one version later: what the next release's apt install does to an installed, configured berth.
    String up = root.dir() + "/up";
    BerthProcess.Result upgrade = root.run(Duration.ofMinutes(3), "set -e; cd " + root.dir() + "; dpkg-deb -R ./" + debCopy.getFileName()
        + " " + up + "; sed -i 's/^Version: .*/&+1/' " + up + "/DEBIAN/control; dpkg-deb --root-owner-group -Zgzip -b " + up
        + " berth_next_all.deb >/dev/null; apt install -y -q --no-install-recommends ./berth_next_all.deb; dpkg-query -W -f '${Version}\\n' berth");
    assertThat(upgrade.exit()).as(upgrade.out() + upgrade.err()).isZero();
    assertThat(upgrade.out()).endsWith("+1\n");
    assertThat(Files.readString(root.file("/etc/berth/manager.env"))).as("a conffile keeps the operator's edit").contains("--api-addr 127.0.0.1:");
    assertThat(root.file("/var/lib/berth/berth.db")).exists();
    BerthProcess.Result remove = root.run(Duration.ofMinutes(1), "apt remove -y -q berth");
    assertThat(remove.exit()).as(remove.out() + remove.err()).isZero();
    assertThat(root.file("/usr/bin/berth")).doesNotExist();
    assertThat(root.file("/usr/share/berth/berth.jar")).doesNotExist();
    assertThat(root.file("/etc/berth/manager.env")).exists();
    assertThat(root.file("/var/lib/berth/berth.db")).exists();
    BerthProcess.Result purge = root.run(Duration.ofMinutes(1), "apt purge -y -q berth");
    assertThat(purge.exit()).as(purge.out() + purge.err()).isZero();
    assertThat(root.file("/etc/berth")).doesNotExist();
    assertThat(root.file("/var/lib/berth")).doesNotExist();
  }
}
