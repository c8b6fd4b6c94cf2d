package io.berth.manager.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code berth manage --backup-every D --backup-dir DIR --backup-keep N}: how often the leader
 * writes a backup, where, and how many of the newest it keeps.
 */
public record BackupSchedule(Duration every, Path dir, int keep) {
  /** The shortest {@code --backup-every}: a backup reads every key, more often is load for nothing. */
  public static final Duration MIN_EVERY = Duration.ofMinutes(1);
  /** The default {@code --backup-keep}. */
  public static final int KEEP = 10;

  public BackupSchedule {
    if (every.compareTo(MIN_EVERY) < 0) {
      throw new IllegalArgumentException("--backup-every must be at least 1m, got " + every.toSeconds() + " s");
    }
    if (keep < 1) {
      throw new IllegalArgumentException("--backup-keep must be at least 1, got " + keep);
    }
  }

  /** The schedule the flags give, null when there is none; the dir is created and must be writable. */
  public static BackupSchedule of(Duration every, Path dir, Integer keep) {
    if (every == null) {
      if (dir != null || keep != null) {
        throw new IllegalArgumentException((dir != null ? "--backup-dir" : "--backup-keep") + " needs --backup-every: how often to back up");
      }
      return null;
    }
    if (dir == null) {
      throw new IllegalArgumentException("--backup-every needs --backup-dir: where the backups go");
    }
    BackupSchedule schedule = new BackupSchedule(every, dir.toAbsolutePath(), keep == null ? KEEP : keep);
    try {
      Files.createDirectories(schedule.dir());
    } catch (IOException e) {
      throw new IllegalArgumentException("--backup-dir " + dir + " cannot be created: " + e.getMessage());
    }
    if (!Files.isDirectory(schedule.dir()) || !Files.isWritable(schedule.dir())) {
      throw new IllegalArgumentException("--backup-dir " + dir + " is not a writable directory");
    }
    return schedule;
  }
}
