package io.berth.manager.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import io.berth.cluster.wire.BuildJobs;
import io.berth.manager.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A build node's long poll: its own jobs only, the whole list, each with push credentials minted for it. */
class BuildJobsFeedTest {
  @RegisterExtension
  final TestStore stores = new TestStore();
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void aNodeGetsItsJobsWithFreshPushAuthAndWaitsForAChange() throws Exception {
    BuildStore store = new BuildStore(stores.get());
    Build b = BuildRequests.create(new BuildRequests.Body("app", "https://h/app.git", null, null, null, "team/app", null, null, "10m"),
        "ann", T0);
    store.create(b);
    int n = store.add("app", k -> Run.queued("app", k, T0, "bob", "main", null, false, "manual").placed("n1", T0));
    stores.get().put(BuildStore.jobKey("n1", "app", n), Json.bytes(Builds.job(b, store.requireRun("app", n), Optional.of("reg:5000"))));
    try (BuildJobsFeed feed = new BuildJobsFeed(store, (user, repo, ttl) -> user + " " + repo + " " + ttl)) {
      feed.start();
      BuildJobs jobs = feed.poll("n1", 0, Duration.ofSeconds(5));
      assertThat(jobs.jobs()).singleElement().satisfies(j -> {
        assertThat(j.id()).isEqualTo("app#1");
        assertThat(j.image()).isEqualTo("reg:5000/team/app");
        assertThat(j.registryAuth()).isEqualTo("bob team/app PT12M"); // the run's 10m and two more
      });
      assertThat(feed.poll("n2", 0, Duration.ofSeconds(5)).jobs()).isEmpty();

      long t0 = System.nanoTime();
      BuildJobs same = feed.poll("n1", jobs.revision(), Duration.ofMillis(300));
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
      assertThat(same.jobs()).hasSize(1);

      stores.get().delete(BuildStore.jobKey("n1", "app", n)); // a cancel
      assertThat(feed.poll("n1", jobs.revision(), Duration.ofSeconds(5)).jobs()).isEqualTo(List.of());
    }
  }
}
