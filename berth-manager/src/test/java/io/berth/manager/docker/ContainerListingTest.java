package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.manager.fleet.ContainerCache;
import io.berth.manager.fleet.ContainerStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The cache's answers to {@code docker ps}: the engine's status words and its filter rules. */
class ContainerListingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456789Z");

  @Test
  void humanDurationsAreDockersWords() {
    assertThat(ContainerStatus.human(Duration.ofMillis(400))).isEqualTo("Less than a second");
    assertThat(ContainerStatus.human(Duration.ofSeconds(1))).isEqualTo("1 second");
    assertThat(ContainerStatus.human(Duration.ofSeconds(59))).isEqualTo("59 seconds");
    assertThat(ContainerStatus.human(Duration.ofSeconds(90))).isEqualTo("About a minute");
    assertThat(ContainerStatus.human(Duration.ofMinutes(59))).isEqualTo("59 minutes");
    assertThat(ContainerStatus.human(Duration.ofMinutes(80))).isEqualTo("About an hour");
    assertThat(ContainerStatus.human(Duration.ofMinutes(100))).isEqualTo("2 hours");
    assertThat(ContainerStatus.human(Duration.ofHours(50))).isEqualTo("2 days");
    assertThat(ContainerStatus.human(Duration.ofDays(20))).isEqualTo("2 weeks");
    assertThat(ContainerStatus.human(Duration.ofDays(70))).isEqualTo("2 months");
    assertThat(ContainerStatus.human(Duration.ofDays(800))).isEqualTo("2 years");
  }

  @Test
  void statusTextFollowsTheStateAndTheClock() throws Exception {
    ContainerStatus up = status("running", true, false, "2026-11-23T10:00:01Z", "0001-01-01T00:00:00Z", 0, null);
    assertThat(up.word()).isEqualTo("running");
    assertThat(up.text(Instant.parse("2026-11-23T10:05:01Z"))).isEqualTo("Up 5 minutes");
    assertThat(up.text(Instant.parse("2026-11-23T12:00:01Z"))).isEqualTo("Up 2 hours");
    ContainerStatus paused = status("paused", true, true, "2026-11-23T10:00:01Z", "0001-01-01T00:00:00Z", 0, null);
    assertThat(paused.word()).isEqualTo("paused");
    assertThat(paused.text(Instant.parse("2026-11-23T10:00:31Z"))).isEqualTo("Up 30 seconds (Paused)");
    ContainerStatus exited = status("exited", false, false, "2026-11-23T10:00:01Z", "2026-11-23T10:01:00Z", 3, null);
    assertThat(exited.word()).isEqualTo("exited");
    assertThat(exited.text(Instant.parse("2026-11-23T10:01:10Z"))).isEqualTo("Exited (3) 10 seconds ago");
    ContainerStatus created = status("created", false, false, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 0, null);
    assertThat(created.word()).isEqualTo("created");
    assertThat(created.text(T0)).isEqualTo("Created");
    ContainerStatus healthy = status("running", true, false, "2026-11-23T10:00:01Z", "0001-01-01T00:00:00Z", 0, "starting");
    assertThat(healthy.text(Instant.parse("2026-11-23T10:00:03Z"))).isEqualTo("Up 2 seconds (health: starting)");
  }

  @Test
  void queriesTheCacheCanAnswerAndThoseItLeavesToTheEngines() {
    assertThat(PsQuery.parse("")).hasValueSatisfying(q -> assertThat(q.all()).isFalse());
    assertThat(PsQuery.parse("all=1&limit=-1")).hasValueSatisfying(q -> assertThat(q.all()).isTrue());
    assertThat(PsQuery.parse("limit=1")).hasValueSatisfying(q -> assertThat(q.all()).as("-l includes stopped ones").isTrue());
    assertThat(PsQuery.parse("filters=" + enc("{\"status\":{\"exited\":true}}"))).hasValueSatisfying(q -> assertThat(q.all()).isTrue());
    assertThat(PsQuery.parse("size=1")).isEmpty();
    assertThat(PsQuery.parse("filters=" + enc("{\"ancestor\":{\"busybox\":true}}"))).isEmpty();
    assertThat(PsQuery.parse("filters=" + enc("{\"status\":{\"sleeping\":true}}"))).as("the engine says why").isEmpty();
    assertThat(PsQuery.parse("filters=" + enc("{not json"))).isEmpty();
  }

  @Test
  void filtersMatchAsTheEngineMatches() throws Exception {
    ContainerCache.Entry web = entry("aaa111", "/web-1", "{\"app\":\"shop\",\"tier\":\"\"}",
        status("running", true, false, "2026-11-23T10:00:01Z", "0001-01-01T00:00:00Z", 0, null));
    ContainerCache.Entry done = entry("bbb222", "/job", "{}",
        status("exited", false, false, "2026-11-23T10:00:01Z", "2026-11-23T10:00:02Z", 0, null));
    assertThat(query("").matches(web)).isTrue();
    assertThat(query("").matches(done)).as("stopped ones only with -a").isFalse();
    assertThat(query("all=1").matches(done)).isTrue();
    assertThat(query(filters("{\"name\":{\"web\":true}}")).matches(web)).as("a name filter is a search").isTrue();
    assertThat(query(filters("{\"name\":{\"^web-1$\":true}}")).matches(web)).as("with or without the slash").isTrue();
    assertThat(query(filters("{\"name\":[\"db\"]}")).matches(web)).isFalse();
    assertThat(query(filters("{\"label\":{\"app=shop\":true,\"tier\":true}}")).matches(web)).as("every label term").isTrue();
    assertThat(query(filters("{\"label\":{\"app=shop\":true,\"zone\":true}}")).matches(web)).isFalse();
    assertThat(query(filters("{\"status\":{\"exited\":true}}")).matches(done)).isTrue();
    assertThat(query(filters("{\"status\":{\"exited\":true}}")).matches(web)).isFalse();
    assertThat(query(filters("{\"id\":{\"bbb\":true}}") + "&all=1").matches(done)).isTrue();
    assertThat(query(filters("{\"name\":{\"[\":true}}")).matches(web)).as("a bad pattern matches nothing").isFalse();
  }

  private static PsQuery query(String q) {
    return PsQuery.parse(q).orElseThrow();
  }

  private static String filters(String json) {
    return "filters=" + enc(json);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static ContainerCache.Entry entry(String id, String name, String labels, ContainerStatus s) throws Exception {
    ObjectNode summary = (ObjectNode) JSON.readTree("{\"Id\":\"" + id + "\",\"Names\":[\"" + name + "\"],\"Labels\":" + labels + "}");
    return new ContainerCache.Entry(summary, s);
  }

  private static ContainerStatus status(String word, boolean running, boolean paused, String started, String finished, int code, String health)
      throws Exception {
    String h = health == null ? "" : ",\"Health\":{\"Status\":\"" + health + "\"}";
    return ContainerStatus.of(JSON.readTree("{\"Created\":\"2026-11-23T10:00:00.5Z\",\"State\":{\"Status\":\"" + word + "\",\"Running\":" + running
        + ",\"Paused\":" + paused + ",\"StartedAt\":\"" + started + "\",\"FinishedAt\":\"" + finished + "\",\"ExitCode\":" + code + h + "}}"));
  }
}
