package io.berth.store.backup;

import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Restores a backup into a store. Refused, with nothing changed: into a live store (a manager
 * leads or holds a record on it, even with force), into a store of another cluster (its CA
 * differs, even with force), and into a store that is not empty unless forced.
 *
 * <p>All or nothing: {@link BackupKeys#RESTORING} is written first and deleted last, and a
 * manager refuses to start while it is there, so a restore cut short (etcd writes in batches) is
 * never served; restoring again with force finishes it. On SQLite the keys land in one
 * transaction as well.
 */
public final class Restorer {
  /** What a restore did: keys written, keys deleted first (force), the store revision after. */
  public record Result(int keys, int deleted, long revision) {}

  /** A progress line every this many keys written (and at the end when there was one). */
  static final int PROGRESS_EVERY = 1000;

  private final StateStore store;
  private final String storeName;
  private final Consumer<String> progress;

  public Restorer(StateStore store, String storeName, Consumer<String> progress) {
    this.store = store;
    this.storeName = storeName;
    this.progress = progress;
  }

  /**
   * Refuses to serve a store a restore did not finish: a manager calls it before it writes
   * anything, so a half-restored store is never taken for a whole one.
   */
  public static void refuseUnfinished(StateStore store, String storeName) {
    if (store.get(BackupKeys.RESTORING).isPresent()) {
      throw new IllegalStateException("store " + storeName + " holds an unfinished restore (" + BackupKeys.RESTORING
          + "): run 'berth restore FILE --store " + storeName + " --force' again before starting a manager on it");
    }
  }

  /** Restores {@code backup}; {@code force} first deletes what the store holds under {@code /berth/}. */
  public Result restore(Backup backup, boolean force) {
    refuseLive();
    refuseOtherCluster(backup.header().cluster());
    List<KeyValue> present = store.snapshot(BackupKeys.PREFIX).items();
    if (!present.isEmpty() && !force) {
      throw new BackupException("store " + storeName + " is not empty: it holds " + present.size() + " keys under "
          + BackupKeys.PREFIX + "; restore into an empty store, or give --force to delete them first");
    }
    store.put(BackupKeys.RESTORING, ("restoring the backup of revision " + backup.header().revision()).getBytes(StandardCharsets.UTF_8));
    int deleted = 0;
    for (KeyValue kv : present) {
      if (!kv.key().equals(BackupKeys.RESTORING) && store.delete(kv.key())) {
        deleted++;
      }
    }
    if (deleted > 0) {
      progress.accept("deleted " + deleted + " keys");
    }
    int total = backup.keys().size();
    progress.accept("writing " + total + " keys");
    int[] shown = {0};
    store.putAll(backup.keys(), written -> {
      if (written - shown[0] >= PROGRESS_EVERY || (written == total && shown[0] > 0)) {
        progress.accept(written + " of " + total + " keys written");
        shown[0] = written;
      }
    });
    store.delete(BackupKeys.RESTORING);
    return new Result(backup.keys().size(), deleted, store.revision());
  }

  private void refuseLive() {
    Optional<KeyValue> leader = store.get(BackupKeys.LEADER);
    List<KeyValue> managers = store.range(BackupKeys.MANAGERS, 0).items();
    if (leader.isEmpty() && managers.isEmpty()) {
      return;
    }
    String who = leader.map(kv -> "manager " + kv.text() + " leads it (" + BackupKeys.LEADER + ")")
        .orElse(managers.size() + " manager(s) hold a record on it (" + BackupKeys.MANAGERS + ")");
    throw new BackupException("store " + storeName + " is live: " + who + "; stop every manager on it before restoring"
        + " (a killed manager's keys go when its lease expires, --leader-ttl: try again then)");
  }

  private void refuseOtherCluster(String cluster) {
    Optional<String> mine = ClusterId.of(store);
    if (mine.isPresent() && !mine.get().equals(cluster)) {
      throw new BackupException("the backup is of the cluster whose CA is " + ClusterId.abbrev(cluster) + ", but store "
          + storeName + " holds the cluster whose CA is " + ClusterId.abbrev(mine.get())
          + ": restore it into that cluster's store or an empty one");
    }
  }
}
