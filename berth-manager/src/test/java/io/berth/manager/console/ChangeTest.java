package io.berth.manager.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which change a store event stands for on {@code /v1/stream}. */
class ChangeTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  static WatchEvent put(String key, String value) {
    return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, value.getBytes(StandardCharsets.UTF_8), 7, 7, 0), null);
  }

  @Test
  void anAppsRecordVersionAndActivityAreChangesOfTheApp() {
    assertThat(Change.of(Keys.APPS, put(Keys.appVersion("web", 3), "{}"), NOW))
        .containsExactly(new Change(Change.Kind.APP, "web", "web", NOW));
    assertThat(Change.of(Keys.APP_EVENTS, put(Keys.APP_EVENTS + "web/0001-000001", "{}"), NOW))
        .containsExactly(new Change(Change.Kind.APP, "web", "web", NOW));
  }

  @Test
  void anInstanceNamesItsAppOnlyInTheAppsDomain() {
    assertThat(Change.of(Keys.ACTUAL, put(Keys.actual("team-web-v12", 1), "{\"domain\":\"apps\"}"), NOW))
        .containsExactly(new Change(Change.Kind.INSTANCE, "team-web-v12/1", "team-web", NOW));
    assertThat(Change.of(Keys.ACTUAL, put(Keys.actual("team-web-v12", 1), "{\"domain\":\"receptor\"}"), NOW))
        .as("another domain's LRP is for administrators").containsExactly(new Change(Change.Kind.INSTANCE, "team-web-v12/1", "", NOW));
  }

  @Test
  void aNodesRecordLivenessAndDrainAreChangesOfTheNode() {
    for (String prefix : new String[] {Keys.NODES, Keys.HEALTH, Keys.DRAIN}) {
      assertThat(Change.of(prefix, put(prefix + "n1", "{}"), NOW)).containsExactly(new Change(Change.Kind.NODE, "n1", "", NOW));
    }
  }

  @Test
  void aPushTokenIsAChangeOfItsRepositoryAndEveryAuditEntryActivity() {
    String audit = "{\"at\":\"2026-12-02T10:00:00Z\",\"user\":\"alice\",\"via\":\"token\",\"from\":\"\",\"action\":\"registry token\","
        + "\"target\":\"repository:team/web:pull,push repository:base:pull\",\"status\":200,\"outcome\":\"ok\"}";
    assertThat(Change.of(Keys.AUDIT, put(Keys.AUDIT + "1", audit), NOW)).containsExactly(
        new Change(Change.Kind.ACTIVITY, "audit", "", NOW), new Change(Change.Kind.IMAGE, "team/web", "", NOW));
    assertThat(Change.of(Keys.REPOS, put(Keys.REPOS + Keys.segment("team/web"), "{}"), NOW))
        .containsExactly(new Change(Change.Kind.IMAGE, "team/web", "", NOW));
  }

  @Test
  void aFrameIsOneChangeEventWithSnakeCaseData() {
    assertThat(new Change(Change.Kind.INSTANCE, "web-v1/0", "web", NOW).frame())
        .isEqualTo("event: change\ndata: {\"kind\":\"instance\",\"name\":\"web-v1/0\",\"app\":\"web\",\"at\":\"2026-12-02T10:00:00Z\"}\n\n");
  }
}
