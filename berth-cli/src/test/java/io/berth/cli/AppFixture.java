package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What the app command tests share: a fake apps API, a manifest, and the AppStatus answers of a rollout. */
abstract class AppFixture {
  static final String MANIFEST = """
      # the hello app
      name: hello
      image: berth/busybox:1
      instances: 3
      routes: [hello.berth.local]
      """;

  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  AppFixture() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  /** An AppStatus of hello whose last rollout is {@code action} to {@code to} from v1. */
  static String status(String action, int to, String phase, int newHealthy, int oldRemaining, String message) {
    return """
        {"name": "hello", "owner": "admin", "created_at": "2026-12-01T21:00:00Z", "router_group": "default",
         "routes": ["hello.berth.local"], "instances": 3, "latest_version": 2,
         "versions": [
           {"version": 1, "process_guid": "hello-v1", "image": "berth/busybox:1", "instances": %d, "routed": %d, "running": %d},
           {"version": 2, "process_guid": "hello-v2", "image": "berth/busybox:2", "instances": 3, "routed": %d, "running": %d}],
         "rollout": {"action": "%s", "strategy": "rolling", "from": [1], "to": %d, "target": 3, "phase": "%s",
                     "message": "%s", "new_healthy": %d, "old_remaining": %d, "user": "admin",
                     "started_at": "2026-12-01T21:05:00Z", "finished_at": null}}"""
        .formatted(oldRemaining, oldRemaining, oldRemaining, newHealthy, newHealthy, action, to, phase, message, newHealthy, oldRemaining);
  }

  static String rolling(int newHealthy, int oldRemaining) {
    return status("deploy", 2, "progressing", newHealthy, oldRemaining,
        newHealthy + " of 3 new instances healthy, " + oldRemaining + " old remaining");
  }

  Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
