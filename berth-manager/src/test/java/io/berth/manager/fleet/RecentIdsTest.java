package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {
  @Test
  void keepsTheNewestIdsOnly() {
    RecentIds gone = new RecentIds();
    gone.add("first");
    for (int i = 0; i < RecentIds.KEPT - 1; i++) gone.add("id" + i);
    gone.add("first"); // seen again: the newest now
    gone.add("one more");
    assertThat(gone.contains("first")).isTrue();
    assertThat(gone.contains("id0")).as("the oldest went").isFalse();
    assertThat(gone.contains("id1")).isTrue();
    assertThat(gone.contains("one more")).isTrue();
    assertThat(gone.contains("never")).isFalse();
  }

  @Test
  void anIdTakenIsForgotten() {
    RecentIds created = new RecentIds();
    created.add("abc");
    assertThat(created.take("abc")).isTrue();
    assertThat(created.take("abc")).as("once only").isFalse();
    assertThat(created.contains("abc")).isFalse();
  }
}
