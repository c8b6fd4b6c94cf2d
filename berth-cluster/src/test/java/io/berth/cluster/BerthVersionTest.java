package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BerthVersionTest {
  @Test
  void parsesReleasesSnapshotsAndTwoPartVersions() {
    assertThat(BerthVersion.parse("0.2.1")).contains(new BerthVersion(0, 2, 1));
    assertThat(BerthVersion.parse("0.3.0-SNAPSHOT")).contains(new BerthVersion(0, 3, 0));
    assertThat(BerthVersion.parse("1.4")).contains(new BerthVersion(1, 4, 0));
    assertThat(BerthVersion.parse("dev")).isEmpty();
    assertThat(BerthVersion.parse(null)).isEmpty();
    assertThat(BerthVersion.parse("v1")).isEmpty();
  }

  @Test
  void acceptsAgentsOfTheSameMinorOrOneAway() {
    assertThat(BerthVersion.refusal("0.3.0", "agent", "0.3.7")).isEmpty();
    assertThat(BerthVersion.refusal("0.3.0", "agent", "0.2.9")).isEmpty();
    assertThat(BerthVersion.refusal("0.3.0-SNAPSHOT", "agent", "0.4.0")).isEmpty();
  }

  @Test
  void refusesAgentsTwoMinorsAwayOrOfAnotherMajorSayingWhatToUpgrade() {
    assertThat(BerthVersion.refusal("0.3.0", "agent", "0.1.4")).hasValue(
        "agent version 0.1.4 is too far from this manager's 0.3.0: a manager accepts agents of berth 0.2 to 0.4;"
            + " upgrade the agent to berth 0.3 (docs/operate.md, Upgrades)");
    assertThat(BerthVersion.refusal("0.3.0", "agent", "0.5.0")).get().asString().endsWith("upgrade the managers first (docs/operate.md, Upgrades)");
    assertThat(BerthVersion.refusal("1.0.0", "agent", "0.9.0")).isPresent();
    assertThat(BerthVersion.refusal("1.0.0", "agent", "2.0.0")).isPresent();
  }

  @Test
  void acceptsDevelopmentBuildsAndAgentsThatStateNoVersion() {
    assertThat(BerthVersion.refusal("dev", "agent", "0.1.0")).isEmpty();
    assertThat(BerthVersion.refusal("0.3.0", "agent", "dev")).isEmpty();
    assertThat(BerthVersion.refusal("0.3.0", "agent", null)).isEmpty();
  }
}
