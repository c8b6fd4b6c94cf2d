package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling on the shared three-node etcd cluster ({@link EtcdCluster}): an app whose instances
 * burn a CPU each, autoscaled between 2 and 4 at 20 % CPU, grows from 2 to its max on real
 * samples from real agents, never past it; a manual scale is refused while it is autoscaled;
 * lowering max shrinks it through the ordinary scale path; {@code --off} leaves it where it is and
 * lets a manual scale through. (Scaling on requests through the router, with wrk, comes with the
 * routers' traffic numbers.)
 */
@EtcdCluster
class AutoscaleIT {
  static Cluster cluster;
  static Path dir;

  static final String BURN = """
      name: burn
      image: berth/busybox:1
      command: [/bin/sh, -c, "while :; do :; done"]
      instances: 2
      memory: 16m
      autoscale: {min: 2, max: 4, cpu: 20%}
      """;

  @BeforeAll
  static void keep(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-autoscale-it");
  }

  @AfterAll
  static void removeApp() throws Exception {
    if (cluster.manager().isAlive() && cluster.api().get("/v1/apps/burn") != null) berth("app", "rm", "burn");
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(180), args);
  }

  /** The instances the app wants now, remembering the most ever seen. */
  static int instances(AtomicInteger most) {
    int n = cluster.api().get("/v1/apps/burn").path("instances").asInt();
    most.accumulateAndGet(n, Math::max);
    return n;
  }

  @Test
  void growsToItsMaxUnderLoadShrinksWhenMaxIsLoweredAndOffLeavesItAlone() throws Exception {
    BerthProcess.Result deployed = berth("app", "deploy", "-f", Files.writeString(dir.resolve("burn.yml"), BURN).toString());
    assertThat(deployed.exit()).as(deployed.out() + deployed.err()).isZero();
    AtomicInteger most = new AtomicInteger();

    // Two instances at ~100 % of a CPU each against a 20 % target: up to max(2 × 2, 2 + 4) = 6, held at max 4.
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> instances(most) == 4);
    JsonNode events = cluster.api().get("/v1/apps/burn/events");
    assertThat(events.toString()).contains("autoscaled 2 → 4: cpu ").contains("(max 4)");

    BerthProcess.Result manual = berth("app", "scale", "burn", "1");
    assertThat(manual.exit()).isEqualTo(1);
    assertThat(manual.err()).contains("burn is autoscaled between 2 and 4 instances", "--force");

    BerthProcess.Result lower = berth("app", "autoscale", "burn", "--min", "2", "--max", "3", "--cpu", "20%");
    assertThat(lower.exit()).as(lower.err()).isZero();
    assertThat(lower.out()).contains("burn autoscales between 2 and 3 instances: cpu 20%");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> instances(most) == 3);
    await().atMost(Duration.ofSeconds(90)).until(() -> cluster.api().get("/v1/apps/burn").path("versions").get(0).path("running").asInt() == 3);

    assertThat(berth("app", "autoscale", "burn", "--off").exit()).isZero();
    long end = System.nanoTime() + Duration.ofSeconds(35).toNanos(); // two passes and more: nothing moves it now
    while (System.nanoTime() < end) {
      assertThat(instances(most)).isEqualTo(3);
      Thread.sleep(1000);
    }
    BerthProcess.Result scaled = berth("app", "scale", "burn", "2");
    assertThat(scaled.exit()).as(scaled.out() + scaled.err()).isZero();
    assertThat(most.get()).as("max held throughout").isEqualTo(4);
  }
}
