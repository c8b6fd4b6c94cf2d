package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoneIdsTest {
  @Test
  void keepsTheNewestIdsOnly() {
    GoneIds gone = new GoneIds();
    gone.add("first");
    for (int i = 0; i < GoneIds.KEPT - 1; i++) gone.add("id" + i);
    gone.add("first"); // seen again: the newest now
    gone.add("one more");
    assertThat(gone.contains("first")).isTrue();
    assertThat(gone.contains("id0")).as("the oldest went").isFalse();
    assertThat(gone.contains("id1")).isTrue();
    assertThat(gone.contains("one more")).isTrue();
    assertThat(gone.contains("never")).isFalse();
  }
}
