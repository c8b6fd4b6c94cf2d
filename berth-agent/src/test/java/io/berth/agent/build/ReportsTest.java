package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.BuildReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private final FakeBuildManager manager = new FakeBuildManager();
  private final Reports reports = new Reports(manager, Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC));
  private static final BuildReport.Result OK = new BuildReport.Result("ok", null, null, "abc", "r/app:abc");

  @Test
  void batchesGoInSeqOrderWithTheResultLast() {
    RunLog run = reports.open("app", 3);
    run.start("clone");
    for (int i = 0; i < 600; i++) run.line("clone", "line " + i);
    run.end("clone", "ok", 12, "clone ok in 12 ms");
    run.finish(OK);

    assertThat(reports.flush()).isTrue();

    assertThat(manager.got).extracting(BuildReport::seq).containsExactly(0L, 1L);
    assertThat(manager.got.get(0).events()).hasSize(Reports.MAX_EVENTS);
    assertThat(manager.got.get(0).result()).isNull();
    assertThat(manager.got.get(1).result()).isEqualTo(OK);
    assertThat(manager.events("app")).hasSize(602).first().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(BuildReport.Event.START);
      assertThat(e.at()).isEqualTo(1_000_000L);
    });
    assertThat(reports.pending()).isZero();
  }

  @Test
  void anUnreachableManagerDelaysTheReportAndLosesNothing() {
    RunLog run = reports.open("app", 1);
    run.start("clone");
    run.line("clone", "fetching");
    manager.unreachable.set(2);

    assertThat(reports.flush()).isFalse();
    run.finish(OK);
    assertThat(reports.flush()).isFalse();
    assertThat(reports.flush()).isTrue();

    assertThat(manager.got).singleElement().satisfies(r -> {
      assertThat(r.seq()).isZero();
      assertThat(r.events()).extracting(BuildReport.Event::text).containsExactly("clone", "fetching");
      assertThat(r.result()).isEqualTo(OK);
    });
  }

  @Test
  void aRunTheManagerRefusesEndsItsReportButNotTheOthers() {
    manager.refused.add("gone");
    reports.open("gone", 1).finish(OK);
    reports.open("app", 1).finish(OK);

    assertThat(reports.flush()).isTrue();

    assertThat(manager.got).extracting(BuildReport::build).containsExactly("app");
    assertThat(reports.pending()).isZero();
  }

  @Test
  void theSenderRunsEvenWhenItsThreadBeginsBeforeStartReturns() {
    // The thread runs its loop at once and start() returns only 300 ms later: a loop that read the sender's
    // field before start() set it used to end at once, and no report went out, with no word said.
    ThreadFactory first = r -> new Thread(r) {
      @Override
      public void start() {
        super.start();
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Reports sending = new Reports(manager, Clock.systemUTC()).start(first)) {
      sending.open("app", 7).finish(OK);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(manager.result("app")).isEqualTo(OK));
      assertThat(sending.pending()).isZero();
    }
  }

  @Test
  void longLinesAndEndlessLogsAreCut() {
    String cut = RunLog.cap("x".repeat(20_000));
    assertThat(cut).endsWith("(line cut at 8 KiB)").hasSizeLessThan(RunLog.MAX_LINE + 40);
    assertThat(RunLog.cap("short")).isEqualTo("short");

    RunLog run = reports.open("loud", 1);
    for (int i = 0; i < RunLog.MAX_LINES + 10; i++) run.line("prepare", "y");
    run.finish(OK);
    reports.flush();
    assertThat(manager.events("loud")).hasSize(RunLog.MAX_LINES + 1).last()
        .satisfies(e -> assertThat(e.text()).startsWith("(log cut"));
  }
}
