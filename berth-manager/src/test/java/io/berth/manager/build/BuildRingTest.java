package io.berth.manager.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildRingTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @Test
  void sameBuildLandsOnSameNodeWhateverTheOrderOfNodes() {
    BuildRing a = new BuildRing(NODES);
    BuildRing b = new BuildRing(List.of("n3", "n1", "n2"));
    for (int i = 0; i < 200; i++) assertThat(a.owner("team/app" + i)).isEqualTo(b.owner("team/app" + i));
  }

  @Test
  void losingANodeMovesOnlyItsBuilds() {
    BuildRing all = new BuildRing(NODES);
    BuildRing without = new BuildRing(List.of("n1", "n3"));
    int moved = 0;
    for (int i = 0; i < 300; i++) {
      String build = "b" + i;
      String before = all.owner(build).orElseThrow();
      String after = without.owner(build).orElseThrow();
      if (!before.equals("n2")) assertThat(after).as(build).isEqualTo(before);
      else moved++;
    }
    assertThat(moved).isGreaterThan(0);
  }

  @Test
  void spreadsBuildsOverTheNodes() {
    BuildRing ring = new BuildRing(NODES);
    Map<String, Integer> count = new HashMap<>();
    for (int i = 0; i < 3000; i++) count.merge(ring.owner("build-" + i).orElseThrow(), 1, Integer::sum);
    assertThat(count).hasSize(3);
    count.values().forEach(n -> assertThat(n).isBetween(600, 1400));
  }

  @Test
  void anEmptyRingHasNoOwner() {
    assertThat(new BuildRing(List.of()).owner("x")).isEmpty();
  }
}
