package io.berth.manager.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.Domain;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.RestartPolicy;
import org.junit.jupiter.api.Test;

class RestartsTest {
  static final long MINUTE = 60_000;

  static ActualLrp crashedAt(ActualLrp a, long millis) {
    return a.crashed("exit 1", millis * 1_000_000, RestartPolicy.DIEGO);
  }

  @Test
  void countsEachCrashOfASlotInsideTheWindow() {
    long t = 100 * MINUTE;
    Restarts r = new Restarts();
    ActualLrp a = ActualLrp.unclaimed(new ProcessGuid("web-v1"), 0, new Domain("apps"), t, "e");
    a = crashedAt(a, t);
    r.observe("web", a, t);
    r.observe("web", a, t + 1000); // the same crash seen again
    a = crashedAt(a, t + MINUTE);
    r.observe("web", a, t + MINUTE);
    assertThat(r.count("web", 10 * MINUTE, t + MINUTE)).isEqualTo(2);
    assertThat(r.count("web", 10 * MINUTE, t + 10 * MINUTE + 1)).as("the first left the window").isEqualTo(1);
    assertThat(r.count("api", 10 * MINUTE, t)).isZero();
  }

  @Test
  void aSlotFirstSeenCountsItsLastCrashWhenRecent() {
    Restarts r = new Restarts();
    ActualLrp a = crashedAt(ActualLrp.unclaimed(new ProcessGuid("web-v1"), 0, new Domain("apps"), 0, "e"), 5 * MINUTE);
    r.observe("web", a, 6 * MINUTE);
    assertThat(r.count("web", 10 * MINUTE, 6 * MINUTE)).isEqualTo(1);
  }
}
