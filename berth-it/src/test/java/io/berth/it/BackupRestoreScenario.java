package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's disaster (docs/operate.md, Backup and restore): a cluster with an app, an LRP, a
 * user and a member is backed up, its manager stopped and its store wiped, and restored; the
 * manager starts again on the restored store and everything is back, and a node whose agent was
 * down throughout joins again on its certificate, with no token. Each store's class names the
 * shared cluster it runs on and how that store is wiped; the LRP ITs' helpers serve both.
 */
abstract class BackupRestoreScenario extends OnLrps {
  static final Duration CLI = Duration.ofSeconds(120);
  static final Duration BACK = Duration.ofSeconds(90);
  static final String APP = """
      name: bk-app
      image: berth/busybox:1
      command: [/bin/sh, -c, "exec sleep 100000"]
      instances: 1
      memory: 16m
      """;

  @AfterAll
  static void cleanUp() throws Exception {
    if (cluster == null || !cluster.manager().isAlive()) return;
    cluster.berth(CLI, "app", "rm", "bk-app");
    cluster.berth(CLI, "lrp", "rm", "bk-web");
    cluster.berth(CLI, "user", "rm", "bk-user");
  }

  /** The store's URL, as the cluster's manager was started on it. */
  abstract String storeUrl();

  /** Loses every record, as a lost disk or etcd would; the manager is stopped. */
  abstract void wipe() throws Exception;

  @Test
  void aWipedStoreRestoredFromABackupBringsBackTheClusterAndItsNodes() throws Exception {
    ok(cluster.berth(CLI, "app", "deploy", "-f", file("bk-app.yml", APP).toString(), "--detach"));
    ok(cluster.berth(CLI, "lrp", "create", "-f", file("bk-web.json", WEB.replace("\"web\"", "\"bk-web\"")
        .replace("\"instances\": 3", "\"instances\": 1")).toString()));
    ok(BerthProcess.runWithStdin(CLI, "bk-password-1\n", "user", "create", "bk-user", "--password-stdin",
        "--api", cluster.apiUrl(), "--data", cluster.managerData().toString()));
    ok(cluster.berth(CLI, "member", "add", "bk-user", "developer", "--app", "bk-app"));
    await().atMost(BACK).until(() -> allRunning("bk-web", 1));

    Path backup = dir.resolve("cluster.bkp");
    BerthProcess.Result made = ok(cluster.berth(CLI, "backup", backup.toString()));
    assertThat(made.out() + made.err()).contains("keys");
    // A live store is refused, even with --force, and nothing changes.
    BerthProcess.Result live = BerthProcess.run(CLI, "restore", backup.toString(), "--store", storeUrl(), "--force");
    assertThat(live.exit()).isNotZero();
    assertThat(live.err()).contains("is live");

    LocalEngine down = cluster.engines().get(0);
    cluster.agent(down.name()).kill(); // a node that is away while it all happens
    cluster.manager().stop();
    wipe();
    try (StateStore store = StateStores.open(storeUrl())) {
      assertThat(store.range("/berth/", 0).items()).as("the store was wiped").isEmpty();
    }

    BerthProcess.Result restored = BerthProcess.run(CLI, "restore", backup.toString(), "--store", storeUrl(),
        "--data", cluster.managerData().toString());
    assertThat(restored.exit()).as(restored.out() + restored.err()).isZero();
    assertThat(restored.err() + restored.out()).contains("keys into " + storeUrl());
    cluster.startManager();
    cluster.startAgent(down, null); // its certificate, no token

    await().atMost(BACK).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == cluster.engines().size());
    JsonNode app = api.get("/v1/apps/bk-app");
    assertThat(app).as("the app is back").isNotNull();
    assertThat(app.path("latest_version").asInt()).as("the app keeps its versions").isEqualTo(1);
    assertThat(api.get("/v1/desired_lrps/bk-web")).as("the LRP is back").isNotNull();
    assertThat(api.get("/v1/users").toString()).contains("\"bk-user\"");
    assertThat(api.get("/v1/members/app/bk-app").toString()).contains("\"bk-user\"").contains("developer");
    await().atMost(BACK).until(() -> allRunning("bk-web", 1));
    assertThat(cluster.berth(CLI, "user", "ls").out()).contains("bk-user");
  }

  static BerthProcess.Result ok(BerthProcess.Result r) {
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return r;
  }

  /** Deletes every key of Berth's prefixes through the store's own client. */
  static void deleteEverything(String url) {
    try (StateStore store = StateStores.open(url)) {
      for (String prefix : new String[] {"/berth/", "/slb/"}) {
        for (KeyValue kv : store.range(prefix, 0).items()) store.delete(kv.key());
      }
    }
  }
}
