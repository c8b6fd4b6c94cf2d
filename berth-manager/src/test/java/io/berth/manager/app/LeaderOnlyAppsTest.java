package io.berth.manager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.app.Rollout;
import io.berth.core.id.ProcessGuid;
import io.berth.manager.leader.Singletons;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The app controller runs on the leader only, and a rollout outlives the leader that started it. */
class LeaderOnlyAppsTest extends AppsScenario {
  final AtomicBoolean leads = new AtomicBoolean(true);

  @Override
  Singletons leader() {
    return new Singletons(leads::get, raw);
  }

  @Test
  void aFollowerTakesTheDeployButOnlyTheLeaderRollsItOut() {
    leads.set(false);
    service.deploy(HELLO, "admin", false);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
        .until(() -> lrps.service().desired(Optional.empty()).isEmpty());
    leads.set(true);
    apps.signal();
    lrps.signal();
    assertThat(settle("hello").rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
  }

  @Test
  void aRolloutStartedUnderOneLeaderFinishesUnderTheNext() {
    service.deploy(HELLO, "admin", false);
    await().atMost(Duration.ofSeconds(5)).until(() -> !lrps.service().desired(Optional.empty()).isEmpty());
    stopManager(); // the leader dies mid-rollout
    startManager(); // and the next one takes over from the store
    assertThat(settle("hello").rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    assertThat(lrps.service().desired(new ProcessGuid("hello-v1")).instances()).isEqualTo(3);
  }
}
