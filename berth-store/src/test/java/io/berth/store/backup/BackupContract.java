package io.berth.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backup and restore, the same on both stores: byte for byte, one revision, and every refusal. */
abstract class BackupContract {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T11:00:00Z"), ZoneOffset.UTC);

  protected StateStore store;

  protected abstract StateStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
    wipe(store);
  }

  @AfterEach
  void close() {
    wipe(store);
    store.close();
  }

  static void wipe(StateStore store) {
    for (KeyValue kv : store.range("/berth/", 0).items()) {
      store.delete(kv.key());
    }
  }

  static byte[] pem(String name) {
    try (InputStream in = BackupContract.class.getResourceAsStream("/backup/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A cluster of CA {@code ca}: durable records, a binary value, and the ephemeral keys a backup skips. */
  Map<String, byte[]> fill(String ca) {
    Map<String, byte[]> durable = new TreeMap<>();
    durable.put("/berth/cluster/ca.pem", pem(ca));
    durable.put("/berth/cluster/join-token", bytes("BERTH-1-abc-secret"));
    durable.put("/berth/users/alice", bytes("{\"name\":\"alice\"}"));
    durable.put("/berth/apps/web/versions/3", bytes("{\"version\":3}"));
    durable.put("/berth/members/app/team%2Fweb/bob", bytes("{\"role\":\"owner\"}"));
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    durable.put("/berth/binary", binary);
    durable.put("/berth/empty", new byte[0]);
    for (int i = 0; i < 300; i++) {
      durable.put(String.format("/berth/audit/%05d", i), bytes("{\"n\":" + i + "}"));
    }
    durable.forEach(store::put);
    long lease = store.grantLease(Duration.ofSeconds(30));
    store.put("/berth/health/n1", bytes("lease"), lease);
    store.put("/berth/domains/cf", new byte[0], lease);
    store.put("/berth/routers/default/r1", bytes("{}"));
    store.put("/berth/docker/create-lock", bytes("m1"));
    return durable;
  }

  byte[] backup(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BackupWriter("1.2.3", CLOCK).write(store, files, out, (keys, bytes) -> {});
    return out.toByteArray();
  }

  static Backup read(byte[] file) {
    return BackupReader.read(new ByteArrayInputStream(file), "b.bkp");
  }

  Map<String, byte[]> held() {
    Map<String, byte[]> out = new TreeMap<>();
    for (KeyValue kv : store.range("/berth/", 0).items()) {
      out.put(kv.key(), kv.value());
    }
    return out;
  }

  Restorer restorer(List<String> progress) {
    return new Restorer(store, "test-store", progress::add);
  }

  @Test
  void aRoundTripRestoresEveryDurableKeyByteForByteAndNoEphemeralOne() throws IOException {
    Map<String, byte[]> durable = fill("ca-a.pem");
    byte[] file = backup(Map.of("admin.token", bytes("tok\n")));
    wipe(store);

    Backup backup = read(file);
    assertThat(backup.header().cluster()).isEqualTo(ClusterId.fingerprint(pem("ca-a.pem")));
    assertThat(backup.header().berthVersion()).isEqualTo("1.2.3");
    assertThat(backup.header().time()).isEqualTo(CLOCK.instant());
    assertThat(backup.header().keys()).isEqualTo(durable.size());
    assertThat(backup.files().get("admin.token")).isEqualTo(bytes("tok\n"));
    List<String> progress = new ArrayList<>();
    Restorer.Result result = restorer(progress).restore(backup, false);

    assertThat(result.keys()).isEqualTo(durable.size());
    Map<String, byte[]> after = held();
    assertThat(after.keySet()).containsExactlyElementsOf(durable.keySet());
    durable.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
    assertThat(progress).contains("writing " + durable.size() + " keys");
  }

  @Test
  void aTruncatedFileIsRefusedSayingHowFarItGot() throws IOException {
    fill("ca-a.pem");
    byte[] file = backup(Map.of());
    byte[] cut = Arrays.copyOf(file, file.length / 2);

    assertThatThrownBy(() -> read(cut)).isInstanceOf(BackupException.class)
        .hasMessageMatching("backup b\\.bkp is truncated: \\d+ of 307 keys");
  }

  @Test
  void aFileThatIsNoBackupIsRefusedSayingSo() throws IOException {
    assertThatThrownBy(() -> read(new byte[0])).hasMessage("backup b.bkp is empty");
    assertThatThrownBy(() -> read(bytes("hello\n"))).hasMessage("backup b.bkp is not a Berth backup (it is not gzip'd)");
    assertThatThrownBy(() -> read(Gzip.gzip(bytes("hello\n"))))
        .hasMessage("backup b.bkp is not a Berth backup (it does not start with 'berth-backup')");
  }

  @Test
  void anAlteredByteIsRefusedByTheChecksum() throws IOException {
    fill("ca-a.pem");
    String text = new String(Gzip.gunzip(backup(Map.of())), StandardCharsets.UTF_8);
    String altered = text.replace("eyJuYW1lIjoiYWxpY2UifQ==", "eyJuYW1lIjoiYWxpY2YifQ=="); // alice -> alicf
    assertThat(altered).isNotEqualTo(text);

    assertThatThrownBy(() -> read(Gzip.gzip(altered.getBytes(StandardCharsets.UTF_8)))).isInstanceOf(BackupException.class)
        .hasMessageStartingWith("backup b.bkp is corrupt: checksum mismatch");
  }

  @Test
  void aBackupOfAnotherClusterIsRefusedEvenWithForceAndNothingChanges() throws IOException {
    fill("ca-a.pem");
    Backup backup = read(backup(Map.of()));
    wipe(store);
    store.put("/berth/cluster/ca.pem", pem("ca-b.pem"));
    Map<String, byte[]> before = held();

    assertThatThrownBy(() -> restorer(new ArrayList<>()).restore(backup, true)).isInstanceOf(BackupException.class)
        .hasMessageStartingWith("the backup is of the cluster whose CA is sha256:")
        .hasMessageContaining("but store test-store holds the cluster whose CA is sha256:");
    assertThat(held().keySet()).isEqualTo(before.keySet());
  }

  @Test
  void aNonEmptyStoreIsRefusedNamingItsKeysAndReplacedWithForce() throws IOException {
    Map<String, byte[]> durable = fill("ca-a.pem");
    Backup backup = read(backup(Map.of()));
    store.put("/berth/users/mallory", bytes("{}"));
    int present = store.range("/berth/", 0).items().size();

    assertThatThrownBy(() -> restorer(new ArrayList<>()).restore(backup, false)).isInstanceOf(BackupException.class)
        .hasMessage("store test-store is not empty: it holds " + present + " keys under /berth/;"
            + " restore into an empty store, or give --force to delete them first");
    assertThat(store.get("/berth/users/mallory")).isPresent();

    Restorer.Result result = restorer(new ArrayList<>()).restore(backup, true);
    assertThat(result.deleted()).isEqualTo(present);
    assertThat(held().keySet()).containsExactlyElementsOf(durable.keySet());
    assertThat(store.get(BackupKeys.RESTORING)).isEmpty();
  }

  @Test
  void aLiveStoreIsRefusedEvenWithForce() throws IOException {
    fill("ca-a.pem");
    Backup backup = read(backup(Map.of()));
    long lease = store.grantLease(Duration.ofSeconds(30));
    store.put(BackupKeys.LEADER, bytes("m1"), lease);

    assertThatThrownBy(() -> restorer(new ArrayList<>()).restore(backup, true)).isInstanceOf(BackupException.class)
        .hasMessageStartingWith("store test-store is live: manager m1 leads it (/berth/leader);"
            + " stop every manager on it before restoring");
    assertThat(store.get("/berth/users/alice")).isPresent();
    store.revoke(lease);
  }

  @Test
  void aBackupTakenWhileWritesHappenIsOneRevisionAcrossPages() throws Exception {
    Map<String, byte[]> filler = new TreeMap<>();
    for (int i = 0; i < 1200; i++) {
      filler.put(String.format("/berth/m/%04d", i), bytes("x")); // more than two of etcd's pages between the pair
    }
    store.putAll(filler, written -> {});
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = Thread.ofVirtual().start(() -> {
      for (int i = 1; !stop.get(); i++) {
        store.put("/berth/a", bytes(Integer.toString(i))); // the first key, always written before the last
        store.put("/berth/z", bytes(Integer.toString(i)));
      }
    });
    try {
      for (int round = 0; round < 10; round++) {
        Map<String, byte[]> keys = read(backup(Map.of())).keys();
        assertThat(keys).hasSize(filler.size() + (keys.containsKey("/berth/z") ? 2 : keys.containsKey("/berth/a") ? 1 : 0));
        if (!keys.containsKey("/berth/z")) {
          continue;
        }
        int a = Integer.parseInt(new String(keys.get("/berth/a"), StandardCharsets.UTF_8));
        int z = Integer.parseInt(new String(keys.get("/berth/z"), StandardCharsets.UTF_8));
        assertThat(a - z).as("a=%d z=%d at one revision: a equals z or is one ahead", a, z).isBetween(0, 1);
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }
}
