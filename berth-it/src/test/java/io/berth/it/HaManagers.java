package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;

/** What a test of several managers asks of them: who leads, each one's health and API, which one an agent uses. */
final class HaManagers {
  private final Cluster cluster;

  HaManagers(Cluster cluster) {
    this.cluster = cluster;
  }

  /** The cluster address of the manager agent {@code node} beat through last. */
  String agentsManager(String node) {
    return lastValue(cluster.agent(node), "node-registered", " manager=", "");
  }

  /** What follows {@code key} on the last line of {@code p}'s log that has {@code phrase}, up to a space; {@code otherwise} if none. */
  static String lastValue(BerthProcess p, String phrase, String key, String otherwise) {
    String last = otherwise;
    try {
      for (String l : p.output().lines().toList()) {
        int at = l.contains(phrase) ? l.indexOf(key) : -1;
        if (at >= 0) last = l.substring(at + key.length()).split(" ")[0].strip();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return last;
  }

  static void signal(String name, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor()).as("kill -%s %d", name, pid).isZero();
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  HttpResponse<String> healthz(int manager) throws Exception {
    return call(manager, "GET", "/healthz", null);
  }

  /** One call to manager {@code i}'s API as the administrator. */
  HttpResponse<String> call(int i, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.apiUrl(i) + path)).timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + cluster.adminToken())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  int leaderIndex() {
    for (int i = 0; i < cluster.managerCount(); i++) {
      if (!cluster.manager(i).isAlive()) continue;
      JsonNode managers = new ManagerApi(cluster.apiUrl(i), cluster.managerData()).get("/v1/managers");
      if (managers == null) continue;
      for (JsonNode m : managers) {
        if (m.path("leader").asBoolean()) return Integer.parseInt(m.path("name").asText().substring(1));
      }
    }
    throw new AssertionError("no manager names a leader");
  }

  /** True when a live manager other than {@code old} says it leads. */
  boolean leaderOtherThan(int old) {
    for (int i = 0; i < cluster.managerCount(); i++) {
      if (i == old || !cluster.manager(i).isAlive()) continue;
      JsonNode managers = new ManagerApi(cluster.apiUrl(i), cluster.managerData()).get("/v1/managers");
      if (managers == null) continue;
      for (JsonNode m : managers) {
        if (m.path("leader").asBoolean() && !m.path("name").asText().equals(Cluster.managerName(old))) return true;
      }
    }
    return false;
  }

  int otherThan(int index, Random random) {
    int pick = random.nextInt(cluster.managerCount() - 1);
    return pick >= index ? pick + 1 : pick;
  }
}
