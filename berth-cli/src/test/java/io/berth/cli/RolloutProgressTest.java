package io.berth.cli;

import static io.berth.cli.AppFixture.rolling;
import static io.berth.cli.AppFixture.status;
import static io.berth.cli.AppFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
  @Test
  void aQuietRolloutRepeatsItsLineWithTheSecondsWaited() {
    RolloutProgress p = new RolloutProgress(false, 0);
    JsonNode s = tree(rolling(1, 2));
    long second = Duration.ofSeconds(1).toNanos();
    assertThat(p.line(s, 0)).isEqualTo("hello v2 (rolling): 1/3 new healthy, 2 old remaining");
    assertThat(p.line(s, 4 * second)).isNull();
    assertThat(p.line(s, 5 * second)).isEqualTo("hello v2 (rolling): 1/3 new healthy, 2 old remaining (5s)");
    assertThat(p.line(s, 9 * second)).isNull();
    assertThat(p.line(tree(rolling(2, 1)), 9 * second)).isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining");
    assertThat(p.line(tree(rolling(2, 1)), 14 * second)).endsWith(" (14s)");
  }

  @Test
  void theManagersMessageIsShownWhenItSaysMoreThanTheCounts() {
    assertThat(RolloutProgress.progress(tree(rolling(2, 1)))).isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining");
    assertThat(RolloutProgress.progress(tree(status("deploy", 2, "progressing", 2, 1, "hello-v2/2 waits for a node: 2 nodes: not enough memory"))))
        .isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining — hello-v2/2 waits for a node: 2 nodes: not enough memory");
    assertThat(RolloutProgress.progress(tree(status("deploy", 2, "progressing", 2, 1, "waiting for health checks"))))
        .endsWith("1 old remaining — waiting for health checks");
  }

  @Test
  void aFirstVersionHasNoOldOnes() {
    JsonNode first = tree(status("deploy", 1, "progressing", 1, 0, "").replace("\"from\": [1]", "\"from\": []"));
    assertThat(RolloutProgress.progress(first)).isEqualTo("hello v1 (rolling): 1/3 healthy");
    JsonNode failed = tree(status("deploy", 1, "failed", 0, 0, "no node has 8 GB free").replace("\"from\": [1]", "\"from\": []"));
    assertThat(new RolloutProgress(false, 0).end(failed)).isEqualTo(new RolloutProgress.End(1, "hello v1 failed: no node has 8 GB free"));
  }
}
