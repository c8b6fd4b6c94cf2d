package io.berth.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims a data dir for one process: a lock on {@code DIR/NAME.lock} that the OS releases when the
 * process dies, however it dies, so a crash never leaves a stale lock behind.
 */
final class DataDir implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDir(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Where Berth keeps its files unless --data says otherwise: $BERTH_DATA, else ~/.berth. (Here and
   * not with the flags' converters, whose picocli types would load picocli for the quick path.)
   */
  static Path defaultDir() {
    String env = System.getenv("BERTH_DATA");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".berth");
  }

  /** Locks {@code dir} for {@code who}; fails with one sentence when another process holds it. */
  static DataDir lock(Path dir, String name, String who) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".lock");
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        String pid = Files.readString(file).trim();
        ch.close();
        throw new IllegalStateException("another " + who + " is already running with data dir " + dir
            + (pid.isEmpty() ? "" : " (pid " + pid + ")") + ": stop it, or use another --data");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      return new DataDir(ch, lock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot use data dir " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the OS releases it on exit anyway
    }
  }
}
