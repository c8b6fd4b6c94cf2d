package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemberAuditCommandTest {
  final FakeApi api = new FakeApi();

  MemberAuditCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void memberAddPutsTheRoleWithTheNameAsOneEncodedSegment() {
    api.on("PUT /v1/members/repo/team%2Fweb/alice", 204, "");
    FakeApi.Result r = api.ok("member", "add", "--repo", "team/web", "alice", "Developer");
    assertThat(r.out()).isEqualTo("alice is a developer of repo team/web\n");
    assertThat(api.calls("PUT", "/v1/members/repo/team%2Fweb/alice").get(0).body()).isEqualTo("{\"role\":\"developer\"}");
  }

  @Test
  void eachKindHasItsFlag() {
    for (String kind : new String[] {"app", "group", "build"}) {
      api.on("PUT /v1/members/" + kind + "/web/bob", 204, "");
      FakeApi.Result r = api.ok("member", "add", "--" + kind, "web", "bob", "guest");
      assertThat(r.out()).isEqualTo("bob is a guest of " + kind + " web\n");
    }
    api.on("DELETE /v1/members/app/team%2Fapp/bob", 204, "");
    assertThat(api.berth("member", "rm", "--app", "team/app", "bob").exit()).isZero();
  }

  @Test
  void anUnknownRoleIsAUsageErrorAndNothingIsSent() {
    FakeApi.Result r = api.usageError("member", "add", "--app", "web", "alice", "admin");
    assertThat(r.err()).startsWith("berth member add: no such role: 'admin' (roles: owner, master, developer, reporter, guest)\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void exactlyOneResourceIsNamed() {
    FakeApi.Result none = api.usageError("member", "ls");
    assertThat(none.err()).contains("--app=NAME").contains("--repo=NAME").contains("--group=NAME").contains("--build=NAME");
    FakeApi.Result two = api.usageError("member", "ls", "--app", "web", "--repo", "team/web");
    assertThat(two.err()).contains("mutually exclusive");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void memberLsIsATable() {
    String now = Instant.now().minus(Duration.ofHours(3)).toString();
    api.on("GET /v1/members/group/team", "[{\"user\": \"alice\", \"role\": \"owner\", \"added_by\": \"alice\", \"added_at\": \"" + now + "\"},"
        + "{\"user\": \"bob\", \"role\": \"reporter\", \"added_by\": \"alice\", \"added_at\": \"" + now + "\"}]");
    FakeApi.Result r = api.ok("member", "ls", "--group", "team");
    assertThat(r.out()).isEqualTo("""
        USER    ROLE       ADDED_BY   ADDED
        alice   owner      alice      3h ago
        bob     reporter   alice      3h ago
        """);
    assertThat(api.berth("member", "ls", "--group", "team", "--json").out()).contains("\"role\" : \"reporter\"");
  }

  @Test
  void theLastOwnerStays() {
    api.on("DELETE /v1/members/app/web/alice", 409, "{\"name\": \"LastOwner\", \"message\": \"alice is the last owner of app web; add another owner first\"}");
    FakeApi.Result r = api.berth("member", "rm", "--app", "web", "alice");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth member rm: alice is the last owner of app web; add another owner first (HTTP 409)\n");
    api.on("DELETE /v1/members/app/web/bob", 204, "");
    assertThat(api.berth("member", "rm", "--app", "web", "bob").out()).isEqualTo("removed bob from app web\n");
  }

  @Test
  void auditIsATableOfEntries() {
    api.on("GET /v1/audit", "[{\"at\": \"2026-12-01T21:00:00Z\", \"user\": \"alice\", \"via\": \"token\", \"from\": \"10.0.0.5\","
        + " \"action\": \"POST /v1/apps\", \"target\": \"web\", \"status\": 201, \"outcome\": \"ok\"},"
        + "{\"at\": \"2026-12-01T21:01:00Z\", \"user\": \"bob\", \"via\": \"password\", \"from\": \"10.0.0.6\","
        + " \"action\": \"DELETE /v1/apps/web\", \"target\": \"web\", \"status\": 403, \"outcome\": \"denied\"}]");
    FakeApi.Result r = api.ok("audit");
    assertThat(r.out()).isEqualTo("""
        AT                     USER    VIA        FROM       ACTION                TARGET   STATUS   OUTCOME
        2026-12-01T21:00:00Z   alice   token      10.0.0.5   POST /v1/apps         web      201      ok
        2026-12-01T21:01:00Z   bob     password   10.0.0.6   DELETE /v1/apps/web   web      403      denied
        """);
  }

  @Test
  void auditSinceADurationIsSentAsTheTimeItNames() {
    api.handle("GET /v1/audit", ex -> {
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    FakeApi.Result r = api.berth("audit", "--user", "alice", "--since", "1h", "--limit", "50");
    String uri = api.calls.get(0).uri();
    assertThat(uri).startsWith("/v1/audit?user=alice&since=").endsWith("&limit=50");
    String since = URLDecoder.decode(uri.replaceAll(".*since=([^&]*).*", "$1"), StandardCharsets.UTF_8);
    assertThat(Duration.between(Instant.parse(since), Instant.now()).toSeconds()).isCloseTo(3600, within(60L));
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void auditSinceATimeAndBadFlags() {
    api.on("GET /v1/audit?since=2026-12-01T21%3A00%3A00Z", "[]");
    FakeApi.Result r = api.ok("audit", "--since", "2026-12-01T21:00:00Z");
    r = api.berth("audit", "--since", "yesterday");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("berth audit: --since must be a duration such as 30m, 1h or 7d, or a time such as 2026-12-01T21:00:00Z, not 'yesterday'\n");
    r = api.berth("audit", "--limit", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("berth audit: --limit must be 1 or more, not 0\n");
    assertThat(api.calls).hasSize(1);
  }
}
