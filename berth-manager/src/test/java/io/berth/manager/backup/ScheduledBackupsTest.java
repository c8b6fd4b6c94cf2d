package io.berth.manager.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.loop.Gate;
import io.berth.manager.TestStore;
import io.berth.store.backup.BackupReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The leader's scheduled backups: named by time, written when due, the newest N kept. */
class ScheduledBackupsTest {
  @RegisterExtension final TestStore store = new TestStore();
  @TempDir Path dir;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T11:00:00Z"));

  /** The loop keeps no state but the dir's files: a new one per moment stands for one loop at that moment. */
  ScheduledBackups backups(int keep) {
    BackupSchedule schedule = new BackupSchedule(Duration.ofHours(6), dir.resolve("backups"), keep);
    return new ScheduledBackups(store.get(), Gate.OPEN, schedule, dir.resolve("data"), "1.2.3", Clock.fixed(now.get(), ZoneOffset.UTC));
  }

  List<String> names(ScheduledBackups b) throws Exception {
    return b.backups().stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void writesWhenTheNewestIsEveryOldAndKeepsTheNewestN() throws Exception {
    Files.createDirectories(dir.resolve("backups"));
    store.get().put("/berth/users/ann", "{}".getBytes());
    backups(3).pass();
    assertThat(names(backups(3))).containsExactly("berth-backup-20261206T110000Z.bkp");
    now.set(now.get().plus(Duration.ofHours(5)));
    backups(3).pass();
    assertThat(names(backups(3))).as("not due yet: 5 h of 6").hasSize(1);
    for (int i = 0; i < 4; i++) {
      now.set(now.get().plus(Duration.ofHours(6)));
      backups(3).pass();
    }
    ScheduledBackups b = backups(3);
    assertThat(names(b)).containsExactly("berth-backup-20261207T040000Z.bkp", "berth-backup-20261207T100000Z.bkp",
        "berth-backup-20261207T160000Z.bkp");
    try (InputStream in = Files.newInputStream(b.backups().getLast())) {
      assertThat(BackupReader.read(in, "newest").keys()).containsKey("/berth/users/ann");
    }
    assertThat(Files.list(dir.resolve("backups")).count()).as("no partial file left").isEqualTo(3);
  }

  @Test
  void anOperatorsOwnFilesInTheDirAreLeftAlone() throws Exception {
    Path backupsDir = Files.createDirectories(dir.resolve("backups"));
    Files.writeString(backupsDir.resolve("berth-backup-mine.bkp"), "keep me");
    backups(1).pass();
    now.set(now.get().plus(Duration.ofHours(7)));
    backups(1).pass();
    assertThat(names(backups(1))).containsExactly("berth-backup-20261206T180000Z.bkp");
    assertThat(backupsDir.resolve("berth-backup-mine.bkp")).exists();
  }
}
