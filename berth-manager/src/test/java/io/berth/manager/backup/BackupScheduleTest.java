package io.berth.manager.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --backup-every}, {@code --backup-dir}, {@code --backup-keep}: checked before anything starts. */
class BackupScheduleTest {
  @TempDir Path dir;

  @Test
  void noFlagsNoSchedule() {
    assertThat(BackupSchedule.of(null, null, null)).isNull();
  }

  @Test
  void theDirIsMadeAndKeepDefaultsToTen() {
    BackupSchedule s = BackupSchedule.of(Duration.ofHours(6), dir.resolve("a/b"), null);
    assertThat(s.keep()).isEqualTo(10);
    assertThat(dir.resolve("a/b")).isDirectory();
  }

  @Test
  void badValuesAreOneSentence() throws Exception {
    assertThatThrownBy(() -> BackupSchedule.of(Duration.ofSeconds(59), dir, null))
        .hasMessage("--backup-every must be at least 1m, got 59 s");
    assertThatThrownBy(() -> BackupSchedule.of(Duration.ofHours(1), dir, 0)).hasMessage("--backup-keep must be at least 1, got 0");
    assertThatThrownBy(() -> BackupSchedule.of(Duration.ofHours(1), null, null))
        .hasMessage("--backup-every needs --backup-dir: where the backups go");
    assertThatThrownBy(() -> BackupSchedule.of(null, dir, null)).hasMessage("--backup-dir needs --backup-every: how often to back up");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> BackupSchedule.of(Duration.ofHours(1), file, null)).hasMessageStartingWith("--backup-dir " + file + " cannot be created");
  }
}
