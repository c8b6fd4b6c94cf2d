package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildJobs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildLoopTest {
  @TempDir Path dir;
  private BuildFixture node;
  private BuildLoop loop;

  @BeforeEach
  void node() throws Exception {
    node = new BuildFixture(dir);
    node.engine.addImage("busybox");
    node.exitCode = null; // every prepare step runs until its run is cancelled
    node.repo.commit("main", Map.of("Dockerfile", "FROM busybox\n",
        "berth-build.yml", "steps:\n  - image: busybox\n    run: sleep 1000\n"));
    loop = new BuildLoop(node.manager, node.tools, node.reports, 1);
  }

  @AfterEach
  void close() {
    loop.close();
    node.close();
  }

  @Test
  void runsAtMostItsSlotsAtOnceAndCancelsAJobThatLeftTheList() {
    BuildJob a = BuildFixture.job("a", 1, node.repo.url(), "main");
    BuildJob b = BuildFixture.job("b", 1, node.repo.url(), "main");
    loop.assign(List.of(a, b));
    await().until(() -> running("a") == 1);
    assertThat(running("b")).isZero();
    assertThat(loop.active()).isEqualTo(2);

    loop.assign(List.of(b)); // a left the list: cancelled, and b gets the slot
    await().until(() -> running("b") == 1);
    node.reports.flush();
    assertThat(node.manager.result("a").outcome()).isEqualTo("cancelled");

    loop.assign(List.of());
    await().until(() -> loop.active() == 0);
    node.reports.flush();
    assertThat(node.manager.result("b").outcome()).isEqualTo("cancelled");
  }

  @Test
  void aJobStillListedAfterItsRunIsNotRunAgain() {
    node.exitCode = 0;
    BuildJob a = BuildFixture.job("a", 1, node.repo.url(), "main");
    loop.assign(List.of(a));
    await().until(() -> loop.active() == 0);
    loop.assign(List.of(a));
    assertThat(loop.active()).isZero();
    node.reports.flush();
    assertThat(node.manager.got).filteredOn(r -> r.result() != null).hasSize(1);
  }

  private int running(String build) {
    return node.engine.listContainers(false, Map.of("berth.build", build)).size();
  }

  @Test
  void pollsTheNodesListFromTheRevisionItHasAndRetriesAManagerThatFails() {
    node.exitCode = 0;
    loop.poll();
    await().until(() -> node.manager.asked.size() >= 2); // the first polls fail: no list yet
    node.manager.lists.add(new BuildJobs(7, List.of(BuildFixture.job("a", 1, node.repo.url(), "main"))));
    await().until(() -> node.manager.asked.contains(7L));
    await().until(() -> loop.active() == 0 && node.reports.flush() && node.manager.result("a") != null);
    assertThat(node.manager.result("a").outcome()).isEqualTo("ok");
    assertThat(node.manager.asked).startsWith(0L).contains(7L);
  }
}
