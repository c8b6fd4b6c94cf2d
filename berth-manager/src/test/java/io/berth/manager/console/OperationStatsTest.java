package io.berth.manager.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.identity.AuditEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationStatsTest {
  static AuditEntry at(String time, String action, String target, int status) {
    return new AuditEntry(Instant.parse(time), "alice", "token", "127.0.0.1", action, target, status, AuditEntry.outcome(status));
  }

  @Test
  void eachUtcDayCountsItsSuccessfulOperationsAndItsFailures() {
    List<AuditEntry> entries = List.of(
        at("2026-11-29T23:59:59Z", "POST /v1/apps", "web", 201), // before the window
        at("2026-11-30T00:00:00Z", "POST /v1/apps", "web", 201),
        at("2026-11-30T12:00:00Z", "POST /v1/apps/web/scale", "web", 200),
        at("2026-12-01T08:00:00Z", "POST /v1/apps/web/rollback", "web", 200),
        at("2026-12-01T08:00:01Z", "registry token", "repository:team/web:pull,push", 200),
        at("2026-12-01T08:00:02Z", "docker POST /build", "team/web:2", 200),
        at("2026-12-01T08:00:03Z", "docker POST /images/create", "busybox", 200),
        at("2026-12-01T08:00:04Z", "POST /v1/builds/team/web/runs", "team/web", 200),
        at("2026-12-01T08:00:05Z", "POST /v1/builds/team/web/hook", "team/web", 201),
        at("2026-12-01T08:00:06Z", "POST /v1/builds/team/web/hook", "team/web", 202), // a push the build ignored
        at("2026-12-02T09:00:00Z", "POST /v1/login", "alice", 200),
        at("2026-12-02T09:00:01Z", "POST /v1/login", "alice", 401),
        at("2026-12-02T09:00:02Z", "POST /v1/apps", "web", 400),
        at("2026-12-02T09:00:03Z", "PUT /v1/members/app/web/bob", "web", 200), // not an operation the numbers count
        at("2026-12-02T09:00:04Z", "autoscale", "web", 200));
    OperationStats.Answer a = OperationStats.count(entries, LocalDate.parse("2026-12-02"), 3);
    assertThat(a.days()).extracting(d -> d.get("date")).containsExactly("2026-11-30", "2026-12-01", "2026-12-02");
    assertThat(a.days().get(0)).containsEntry("deploys", 1).containsEntry("scales", 1).containsEntry("rollbacks", 0);
    assertThat(a.days().get(1)).containsEntry("rollbacks", 1).containsEntry("pushes", 1).containsEntry("builds", 3)
        .containsEntry("pulls", 1);
    assertThat(a.days().get(2)).containsEntry("sign_ins", 1).containsEntry("denied", 1).containsEntry("failures", 1)
        .containsEntry("deploys", 0).containsEntry("autoscales", 1);
    assertThat(a.totals()).containsEntry("deploys", 1).containsEntry("denied", 1);
    assertThat(a.days().get(0).keySet()).containsExactly("date", "deploys", "scales", "rollbacks", "promotes", "aborts", "pushes",
        "pulls", "builds", "sign_ins", "failures", "denied", "autoscales");
    assertThat(OperationStats.since(LocalDate.parse("2026-12-02"), 3)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
  }
}
