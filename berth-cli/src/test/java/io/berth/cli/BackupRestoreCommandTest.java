package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Pem;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth backup} and {@code berth restore}: what they print, and each refusal as one line with nothing changed. */
class BackupRestoreCommandTest {
  @TempDir Path dir;
  final FakeApi api = new FakeApi();

  BackupRestoreCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  String sqlite(String name) {
    return "sqlite://" + dir.resolve(name);
  }

  /** A store of a fresh cluster with one user; returns its URL. */
  String cluster(String name) {
    String url = sqlite(name);
    try (StateStore s = StateStores.open(url)) {
      s.put("/berth/cluster/ca.pem", Pem.certificate(ClusterCa.create("test", Instant.now()).certificate()).getBytes(StandardCharsets.UTF_8));
      s.put("/berth/users/ann", "{\"name\":\"ann\"}".getBytes(StandardCharsets.UTF_8));
    }
    return url;
  }

  Path backupOf(String url) throws Exception {
    Files.createDirectories(dir.resolve("mgr"));
    Files.writeString(dir.resolve("mgr/admin.token"), "tok\n");
    Path file = dir.resolve("b.bkp");
    FakeApi.Result r = FakeApi.run("backup", file.toString(), "--store", url, "--data", dir.resolve("mgr").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("backup " + file + ": 2 keys, \\d+ bytes, revision \\d+\n");
    return file;
  }

  @Test
  void anOfflineBackupRestoresIntoAnEmptyStoreWithTheDataDirFiles() throws Exception {
    Path file = backupOf(cluster("a.db"));

    FakeApi.Result r = FakeApi.run("restore", file.toString(), "--store", sqlite("b.db"), "--data", dir.resolve("new").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("restore " + file + ": 2 keys into " + sqlite("b.db") + ", revision \\d+, 1 files into " + dir.resolve("new") + "\n");
    assertThat(r.err()).contains("restore " + file + ": writing 2 keys");
    try (StateStore s = StateStores.open(sqlite("b.db"))) {
      assertThat(s.get("/berth/users/ann").orElseThrow().text()).isEqualTo("{\"name\":\"ann\"}");
      assertThat(s.get("/berth/restoring")).isEmpty();
    }
    assertThat(Files.readString(dir.resolve("new/admin.token"))).isEqualTo("tok\n");
  }

  @Test
  void aNonEmptyStoreIsRefusedWithoutForce() throws Exception {
    String url = cluster("a.db");
    Path file = backupOf(url);

    FakeApi.Result r = FakeApi.run("restore", file.toString(), "--store", url);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).endsWith("berth restore: store " + url + " is not empty: it holds 2 keys under /berth/;"
        + " restore into an empty store, or give --force to delete them first\n");
    FakeApi.Result forced = FakeApi.run("restore", file.toString(), "--store", url, "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(forced.out()).contains(", 2 keys deleted first");
  }

  @Test
  void aTruncatedOrMissingFileIsOneLine() throws Exception {
    Path file = backupOf(cluster("a.db"));
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 30));

    FakeApi.Result r = FakeApi.run("restore", file.toString(), "--store", sqlite("b.db"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("berth restore: backup " + file + " is ");
    FakeApi.Result missing = FakeApi.run("restore", dir.resolve("nope.bkp").toString(), "--store", sqlite("b.db"));
    assertThat(missing.err()).isEqualTo("berth restore: cannot read backup " + dir.resolve("nope.bkp") + ": no such file\n");
    assertThat(FakeApi.run("restore", file.toString()).exit()).as("--store is required").isEqualTo(2);
  }

  @Test
  void aDataDirOfAnotherClusterIsRefusedBeforeTheStoreChanges() throws Exception {
    Path file = backupOf(cluster("a.db"));
    Files.createDirectories(dir.resolve("other"));
    Files.writeString(dir.resolve("other/cluster-ca.sha256"), "b".repeat(64) + "\n");

    FakeApi.Result r = FakeApi.run("restore", file.toString(), "--store", sqlite("b.db"), "--data", dir.resolve("other").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("but data dir " + dir.resolve("other") + " belongs to the cluster whose CA is sha256:bbbbbbbbbbbbbbbb…");
    try (StateStore s = StateStores.open(sqlite("b.db"))) {
      assertThat(s.range("/berth/", 0).items()).isEmpty();
    }
  }

  @Test
  void aBackupFromTheManagerIsCheckedBeforeItTakesTheFilesName() throws Exception {
    byte[] good = Files.readAllBytes(backupOf(cluster("a.db")));
    api.handle("GET /v1/backup", ex -> {
      ex.sendResponseHeaders(200, good.length);
      ex.getResponseBody().write(good);
    });
    Path file = dir.resolve("online.bkp");
    FakeApi.Result r = api.ok("backup", file.toString());
    assertThat(r.out()).matches("backup " + file + ": 2 keys, " + good.length + " bytes, revision \\d+\n");
    assertThat(Files.readAllBytes(file)).isEqualTo(good);

    api.handle("GET /v1/backup", ex -> {
      ex.sendResponseHeaders(200, good.length / 2);
      ex.getResponseBody().write(good, 0, good.length / 2);
    });
    Path cut = dir.resolve("cut.bkp");
    FakeApi.Result half = api.berth("backup", cut.toString());
    assertThat(half.exit()).isEqualTo(1);
    assertThat(half.err()).startsWith("berth backup: backup " + cut + " is truncated: ");
    assertThat(Files.list(dir).filter(p -> p.getFileName().toString().contains("cut")).toList()).as("nothing left behind").isEmpty();
  }

  @Test
  void aFileInADirThatIsNotThereIsOneLine() {
    Path file = dir.resolve("nope/b.bkp");
    FakeApi.Result r = FakeApi.run("backup", file.toString(), "--store", cluster("a.db"));
    assertThat(r.err()).isEqualTo("berth backup: cannot write backup " + file + ": " + dir.resolve("nope") + " is not a writable directory\n");
  }

  @Test
  void theManagerRefusingIsOneLine() throws Exception {
    api.on("GET /v1/backup", 403, "{\"name\":\"Forbidden\",\"message\":\"ann is no administrator\"}");
    FakeApi.Result r = api.berth("backup", dir.resolve("x.bkp").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth backup: ann is no administrator (HTTP 403)\n");
    assertThat(dir.resolve("x.bkp")).doesNotExist();
  }

  @Test
  void scheduledBackupFlagsAreCheckedBeforeAnythingStarts() {
    FakeApi.Result r = FakeApi.run("manage", "--store", sqlite("m.db"), "--data", dir.toString(), "--backup-every", "30s",
        "--backup-dir", dir.resolve("bk").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth manage: --backup-every must be at least 1m, got 30 s\n");
    assertThat(FakeApi.run("manage", "--store", sqlite("m.db"), "--data", dir.toString(), "--backup-every", "6h").err())
        .isEqualTo("berth manage: --backup-every needs --backup-dir: where the backups go\n");
    assertThat(dir.resolve("m.db")).doesNotExist();
  }
}
