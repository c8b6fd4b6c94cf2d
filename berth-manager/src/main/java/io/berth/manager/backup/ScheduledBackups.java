package io.berth.manager.backup;

import io.berth.cluster.loop.Gate;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.store.StateStore;
import io.berth.store.backup.BackupWriter;
import io.berth.store.backup.DataDirFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's scheduled backups ({@code --backup-every}): files {@code berth-backup-YYYYMMDDTHHMMSSZ.bkp}
 * in the backup dir, the newest {@code keep} kept. The loop passes every minute on the leader only
 * (its gate) and writes when the newest file in the dir is {@code every} old: so the time between
 * backups holds across restarts and a change of leader, and a new leader does not write at once
 * when the old one just did. A file is written under a temporary name and moved into place, so a
 * file with the pattern's name is always whole.
 */
public final class ScheduledBackups implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);
  static final String PREFIX = "berth-backup-";
  static final String SUFFIX = ".bkp";
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration CHECK = Duration.ofMinutes(1);

  private final StateStore store;
  private final BackupSchedule schedule;
  private final Path dataDir;
  private final Clock clock;
  private final BackupWriter writer;
  private final ReconcileLoop loop;

  public ScheduledBackups(StateStore store, Gate leader, BackupSchedule schedule, Path dataDir, String berthVersion, Clock clock) {
    this.store = store;
    this.schedule = schedule;
    this.dataDir = dataDir;
    this.clock = clock;
    this.writer = new BackupWriter(berthVersion, clock);
    this.loop = ReconcileLoop.named("scheduled-backups").every(CHECK).gate(leader)
        .onFailure(e -> log.warn("backup-failed dir={}: {}", schedule.dir(), e.toString())).build(this::pass);
  }

  public ScheduledBackups start() {
    loop.start();
    return this;
  }

  /** One pass: a backup when one is due, then the oldest beyond {@code keep} deleted. */
  void pass() {
    try {
      Instant now = clock.instant();
      List<Path> files = backups();
      Optional<Instant> newest = files.isEmpty() ? Optional.empty() : Optional.of(stamp(files.getLast()));
      if (newest.isEmpty() || !newest.get().plus(schedule.every()).isAfter(now)) {
        write(now);
        files = backups();
      }
      for (int i = 0; i < files.size() - schedule.keep(); i++) {
        Files.deleteIfExists(files.get(i));
        log.info("backup-deleted file={}", files.get(i));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to " + schedule.dir() + ": " + e.getMessage(), e);
    }
  }

  private void write(Instant now) throws IOException {
    Path file = schedule.dir().resolve(PREFIX + STAMP.format(now) + SUFFIX);
    Path partial = schedule.dir().resolve("." + file.getFileName() + ".partial");
    BackupWriter.Summary s;
    try (OutputStream out = Files.newOutputStream(partial)) {
      s = writer.write(store, DataDirFiles.collect(dataDir), out, (keys, bytes) -> {});
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    log.info("backup-written file={} keys={} bytes={} revision={}", file, s.header().keys(), s.bytes(), s.header().revision());
  }

  /** The dir's backups, oldest first (the names sort by time). */
  List<Path> backups() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(schedule.dir())) {
      files.filter(ScheduledBackups::isBackup).sorted().forEach(out::add);
    }
    return out;
  }

  private static boolean isBackup(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return false;
    }
    try {
      stamp(p);
      return true;
    } catch (DateTimeParseException e) {
      return false; // an operator's own file that happens to share the prefix
    }
  }

  private static Instant stamp(Path p) {
    String name = p.getFileName().toString();
    return Instant.from(STAMP.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
  }

  @Override
  public void close() {
    loop.stop();
  }
}
