package io.berth.store.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a manager's data dir that a backup holds. The CA, tokens and every record are in
 * the store; the data dir adds {@code admin.token} (the admin API token itself, which the store
 * keeps only as a hash, 0600) and {@code cluster-ca.sha256} (which cluster the dir belongs to).
 * {@code manager.json} is rewritten at every start and is not held. The names are the manager's
 * ManagerFiles constants, repeated here because the store module does not see the manager's.
 */
public final class DataDirFiles {
  static final String ADMIN_TOKEN = "admin.token";
  static final String CLUSTER = "cluster-ca.sha256";
  private static final List<String> HELD = List.of(ADMIN_TOKEN, CLUSTER);

  private DataDirFiles() {}

  /** The held files present in {@code dir}, by name. */
  public static Map<String, byte[]> collect(Path dir) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : HELD) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        files.put(name, Files.readAllBytes(f));
      }
    }
    return files;
  }

  /**
   * Writes the backup's files into {@code dir}, refused when the dir already belongs to another
   * cluster than the backup's. Returns how many files were written.
   */
  public static int restore(Path dir, Backup backup) throws IOException {
    check(dir, backup);
    Files.createDirectories(dir);
    int written = 0;
    for (Map.Entry<String, byte[]> f : backup.files().entrySet()) {
      if (!HELD.contains(f.getKey())) {
        continue; // only names this Berth knows: a file name never comes from the backup into a path unchecked
      }
      Path target = dir.resolve(f.getKey());
      Files.deleteIfExists(target);
      Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(target, f.getValue());
      written++;
    }
    return written;
  }

  /** Refuses {@code dir} when it belongs to another cluster than the backup's: call it before changing anything. */
  public static void check(Path dir, Backup backup) throws IOException {
    Path recorded = dir.resolve(CLUSTER);
    String cluster = backup.header().cluster();
    if (Files.isRegularFile(recorded)) {
      String mine = Files.readString(recorded, StandardCharsets.UTF_8).strip();
      if (!mine.equals(cluster)) {
        throw new BackupException("the backup is of the cluster whose CA is " + ClusterId.abbrev(cluster) + ", but data dir "
            + dir + " belongs to the cluster whose CA is " + ClusterId.abbrev(mine) + ": give --data a fresh directory");
      }
    }
  }
}
