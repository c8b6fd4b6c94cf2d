package io.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the LRP ITs share on the {@link EtcdCluster}: the admin's API client, the berth CLI, a
 * scratch directory per class, the {@code web} LRP's definition and the reads of its instances.
 */
abstract class OnLrps {
  static final Duration TTL = Duration.ofSeconds(4);
  static final String INSTANCE = "io.berth.instance-guid";
  static Cluster cluster;
  static Path dir;
  static ManagerApi api;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static final String WEB = """
      {"process_guid": "web", "domain": "apps", "rootfs": "docker:///berth/busybox#1", "instances": 3, "memory_mb": 32,
       "ports": [8080], "health_check": {"type": "tcp", "port": 8080},
       "env": [{"name": "GREETING", "value": "hello"}],
       "action": {"run": {"path": "/bin/sh", "user": "root",
         "args": ["-c", "mkdir -p /www && echo $GREETING $INSTANCE_INDEX $CF_INSTANCE_ADDR > /www/index.html && exec httpd -f -p 8080 -h /www"]}}}""";

  @BeforeAll
  static void useCluster(Cluster c) throws IOException {
    cluster = c;
    api = c.api();
    dir = Files.createTempDirectory("berth-lrp-it");
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(90), args);
  }

  static Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  static List<JsonNode> instances(String guid) {
    JsonNode all = api.get("/v1/actual_lrps/" + guid);
    List<JsonNode> out = new ArrayList<>();
    if (all != null) all.forEach(out::add);
    return out;
  }

  static boolean allRunning(String guid, int n) {
    List<JsonNode> is = instances(guid);
    return is.size() == n && is.stream().allMatch(a -> a.path("state").asText().equals("RUNNING"));
  }

  /** The ids of containers running instances on an engine. */
  static List<String> instanceContainers(LocalEngine e) throws Exception {
    DockerCli.Result r = DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=" + INSTANCE);
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }

  static String get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (Exception e) {
      return "unreachable: " + e;
    }
  }

  static LocalEngine engine(String name) {
    return cluster.engine(name);
  }
}
