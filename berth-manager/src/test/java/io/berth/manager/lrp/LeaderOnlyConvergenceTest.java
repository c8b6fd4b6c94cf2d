package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.leader.Singletons;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Convergence runs on the leader only: a follower's API takes the desire, the leader makes the slots. */
class LeaderOnlyConvergenceTest {
  @TempDir Path dir;

  @Test
  void aFollowerConvergesNothingUntilItLeads() {
    try (StateStore raw = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      AtomicBoolean leads = new AtomicBoolean();
      Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
      try (Lrps lrps = Lrps.start(raw, new Singletons(leads::get, raw), Clock.systemUTC(), scheduler, List::of, n -> "",
          Duration.ofMillis(50))) {
        lrps.service().desire(ConvergerScenario.lrp("web", 2));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
            .until(() -> lrps.service().actuals(Optional.empty()).isEmpty());
        leads.set(true);
        lrps.signal();
        await().atMost(Duration.ofSeconds(2)).until(() -> lrps.service().actuals(Optional.empty()).size() == 2);
        assertThat(lrps.leaderService()).isSameAs(lrps.service()); // one store, unfenced: one service
      }
    }
  }
}
