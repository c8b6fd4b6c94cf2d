package io.berth.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersAndStrategiesTest {
  @Test
  void filtersRunInSwarmsOrderByTheirFlagNames() {
    assertThat(Scheduler.FILTERS).containsExactly("health", "constraint", "affinity", "port", "dependency", "containerslots",
        "resources", "image");
  }

  @Test
  void strategiesParseByTheirFlagNames() {
    assertThat(List.of("spread", "binpack", "random")).map(Strategy::of).containsExactly(Strategy.SPREAD, Strategy.BINPACK,
        Strategy.RANDOM);
    assertThat(Strategy.SPREAD.word()).isEqualTo("spread");
    assertThatThrownBy(() -> Strategy.of("SPREAD")).hasMessage("unknown strategy 'SPREAD': choose spread, binpack or random");
  }

  @Test
  void unknownFilterListsTheChoices() {
    assertThatThrownBy(() -> Filters.named(List.of("nosuch")))
        .hasMessage("unknown filter 'nosuch': choose from health, constraint, affinity, port, dependency, containerslots, resources, image");
  }

  @Test
  void aVetoNeedsAReason() {
    assertThatThrownBy(() -> new Veto(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
