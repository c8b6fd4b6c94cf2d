package io.berth.core.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.app.Autoscale;
import io.berth.core.lrp.Problems;
import org.junit.jupiter.api.Test;

class AutoscaleTest {
  private static java.util.List<String> problems(Autoscale a) {
    Problems p = new Problems();
    a.check(p, "autoscale", 1000);
    return p.all();
  }

  @Test
  void acceptsPercentagesAndANumberOfRequests() {
    Autoscale a = new Autoscale(2, 10, "60%", "70", 50.0);
    assertThat(problems(a)).isEmpty();
    assertThat(a.cpuPercent()).isEqualTo(60);
    assertThat(a.memoryPercent()).isEqualTo(70);
    assertThat(new Autoscale(1, 1, null, null, 5.0).cpuPercent()).isNaN();
  }

  @Test
  void refusesBadBoundsUnitsAndNoTarget() {
    assertThat(problems(new Autoscale(0, 1001, "60x", "150%", -1.0))).containsExactly(
        "autoscale.min: must be at least 1, got 0", "autoscale.max: must be at most the instance limit 1000, got 1001",
        "autoscale.cpu: must be a percentage like 60%, got \"60x\"", "autoscale.memory: must be above 0% and at most 100%, got 150%",
        "autoscale.requests_per_instance: must be a number of requests per second above 0, got -1.0");
    assertThat(problems(new Autoscale(5, 3, "60%", null, null))).containsExactly("autoscale.min: min 5 is above max 3");
    assertThat(problems(new Autoscale(1, 3, null, null, null))).containsExactly(
        "autoscale: name at least one target: cpu (e.g. 60%), memory (e.g. 70%) or requests_per_instance (e.g. 50)");
    assertThat(problems(new Autoscale(null, null, "1%", null, null))).hasSize(2);
  }
}
