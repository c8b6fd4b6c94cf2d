package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManagerSetTest {
  @Test
  void movesRoundRobinOnceForEachFailureAndLearnsWithoutForgetting() {
    ManagerSet set = new ManagerSet(List.of("a:1", "b:1"));
    set.learn(List.of("b:1", "c:1"));
    assertThat(set.known()).containsExactly("a:1", "b:1", "c:1");
    assertThat(set.move("a:1", "connection refused")).isEqualTo("b:1");
    assertThat(set.move("a:1", "a second report of the same death")).isEqualTo("b:1"); // moved already
    assertThat(set.move("b:1", "timed out")).isEqualTo("c:1");
    assertThat(set.move("c:1", "timed out")).isEqualTo("a:1");
    assertThat(set.moves()).isEqualTo(3);
  }

  @Test
  void aLoneManagerIsNeverLeft() {
    ManagerSet set = new ManagerSet(List.of("a:1"));
    assertThat(set.move("a:1", "connection refused")).isEqualTo("a:1");
    assertThat(set.moves()).isZero();
  }

  @Test
  void aSuspicionWakesTheWaitingHeartbeatOnlyForTheCurrentManager() throws InterruptedException {
    ManagerSet set = new ManagerSet(List.of("a:1", "b:1"));
    set.suspect("b:1"); // not the current one: nobody needs to look
    long t0 = System.nanoTime();
    set.awaitSuspicion(200);
    assertThat(System.nanoTime() - t0).isGreaterThan(150_000_000L);
    set.suspect("a:1");
    t0 = System.nanoTime();
    set.awaitSuspicion(5000);
    assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
  }

  @Test
  void aSilentCurrentManagerWakesTheHeartbeatAndIsForgottenAtTheMove() throws InterruptedException {
    ManagerSet set = new ManagerSet(List.of("a:1", "b:1"));
    assertThat(set.silent("b:1")).isFalse(); // not the current one
    assertThat(set.isSilent("b:1")).isFalse();
    assertThat(set.silent("a:1")).isTrue();
    long t0 = System.nanoTime();
    set.awaitSuspicion(5000);
    assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
    assertThat(set.isSilent("a:1")).isTrue();
    set.move("a:1", "no pulse");
    assertThat(set.isSilent("a:1")).isFalse();
    assertThat(new ManagerSet(List.of("a:1")).silent("a:1")).as("a lone manager is never left").isFalse();
  }
}
