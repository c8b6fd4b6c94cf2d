package io.berth.manager;

import io.berth.cluster.Json;
import io.berth.manager.leader.LeaseNote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a manager leaves in its data dir for clients on the same machine: {@code admin.token}
 * (mode 0600, written once, when the cluster is created) and {@code manager.json} (where its API is).
 */
public final class ManagerFiles {
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String INFO = "manager.json";
  /** The lease of this manager's record and the process that held it: {@code LEASE PID START}. */
  public static final String RECORD_LEASE = "record.lease";
  /** The SHA-256 of the CA of the cluster this data dir belongs to, written at the first start. */
  public static final String CLUSTER = "cluster-ca.sha256";
  private final Path dir;

  public ManagerFiles(Path dir) {
    this.dir = dir;
  }

  void writeAdminToken(String token) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(ADMIN_TOKEN);
      Files.deleteIfExists(f);
      Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(f, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses to start on a data dir of another cluster: its recorded CA fingerprint differs from the
   * store's, so the store (or the data dir) is not the one the operator meant. Records it otherwise.
   */
  void checkCluster(String fingerprint, String storeUrl) {
    Path f = dir.resolve(CLUSTER);
    try {
      if (Files.exists(f)) {
        String mine = Files.readString(f).strip();
        if (!mine.equals(fingerprint)) {
          throw new IllegalStateException("this manager's data dir " + dir + " belongs to the cluster whose CA is sha256:" + abbrev(mine)
              + ", but the store " + storeUrl + " holds the cluster whose CA is sha256:" + abbrev(fingerprint)
              + ": give --store that cluster's store, or --data a fresh directory");
        }
        return;
      }
      Files.createDirectories(dir);
      Files.writeString(f, fingerprint + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + f + ": " + e.getMessage(), e);
    }
  }

  private static String abbrev(String fingerprint) {
    return fingerprint.length() > 16 ? fingerprint.substring(0, 16) + "…" : fingerprint;
  }

  void writeInfo(ManagerConfig c, int apiPort) {
    String host = c.apiAddr().getAddress().isAnyLocalAddress() ? "127.0.0.1" : c.apiAddr().getHostString();
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(INFO), Json.bytes(Map.of("api", "http://" + host + ":" + apiPort, "store", c.storeUrl())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + INFO + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The lease of this manager's record, noted in {@value #RECORD_LEASE} with the process that held it,
   * and found again only when that process is gone (no process of its pid, or one started at another
   * time): so a restart after a kill takes its name and leadership at once, and a manager of the same
   * name and data dir still alive (a second start in one JVM, a pid reused) is waited out as before.
   */
  LeaseNote recordLease() {
    Path f = dir.resolve(RECORD_LEASE);
    return new LeaseNote() {
      @Override
      public OptionalLong read() {
        try {
          String[] w = Files.exists(f) ? Files.readString(f).strip().split(" ") : new String[0];
          if (w.length != 3) return OptionalLong.empty();
          Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(w[1]));
          boolean alive = p.isPresent() && p.get().isAlive()
              && p.get().info().startInstant().map(Instant::toString).map(w[2]::equals).orElse(true);
          return alive ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(w[0]));
        } catch (IOException | RuntimeException e) {
          return OptionalLong.empty(); // unreadable: nothing is ended, the record is waited out
        }
      }

      @Override
      public void write(long lease) {
        ProcessHandle me = ProcessHandle.current();
        String started = me.info().startInstant().map(Instant::toString).orElse("-");
        try {
          Files.createDirectories(dir);
          Files.writeString(f, lease + " " + me.pid() + " " + started + "\n");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
      }
    };
  }
}
