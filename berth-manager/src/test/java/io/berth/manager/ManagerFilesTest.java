package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manager's data dir remembers its cluster and refuses a store that holds another, and notes its record's lease. */
class ManagerFilesTest {
  @TempDir Path dir;

  @Test
  void aDataDirOfOneClusterRefusesAStoreOfAnother() throws Exception {
    ManagerFiles files = new ManagerFiles(dir);
    files.checkCluster("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "etcd://a:2379");
    assertThat(Files.readString(dir.resolve(ManagerFiles.CLUSTER)).strip()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    files.checkCluster("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "etcd://a:2379"); // the same cluster again: fine

    assertThatThrownBy(() -> files.checkCluster("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "etcd://other:2379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this manager's data dir " + dir + " belongs to the cluster whose CA is sha256:aaaaaaaaaaaaaaaa…,"
            + " but the store etcd://other:2379 holds the cluster whose CA is sha256:bbbbbbbbbbbbbbbb…:"
            + " give --store that cluster's store, or --data a fresh directory");
    assertThat(Files.readString(dir.resolve(ManagerFiles.CLUSTER)).strip()).as("nothing changed").startsWith("aaaa");
  }

  @Test
  void aNotedLeaseIsFoundOnlyOnceItsProcessIsGone() throws Exception {
    var note = new ManagerFiles(dir).recordLease();
    assertThat(note.read()).isEmpty();
    note.write(42);
    assertThat(note.read()).as("this process noted it and lives").isEmpty();

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve(ManagerFiles.RECORD_LEASE), "43 " + gone.pid() + " 2026-12-07T15:00:00Z\n");
    assertThat(note.read()).hasValue(43);

    ProcessHandle me = ProcessHandle.current(); // a pid used again by a process started at another time
    Files.writeString(dir.resolve(ManagerFiles.RECORD_LEASE), "44 " + me.pid() + " 2020-01-01T00:00:00Z\n");
    assertThat(note.read()).hasValue(44);

    Files.writeString(dir.resolve(ManagerFiles.RECORD_LEASE), "garbage\n");
    assertThat(note.read()).isEmpty();
  }
}
