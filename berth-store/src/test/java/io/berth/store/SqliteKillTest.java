package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL loses no write it had seen committed (WAL, synchronous=NORMAL). */
class SqliteKillTest {
  @TempDir Path dir;

  @Test
  void sigkillLosesNoCommittedWrite() throws Exception {
    Path db = dir.resolve("berth.db");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), SqliteCrashWriter.class.getName(), db.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int lastIndex = -1;
    long lastRevision = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (lastIndex < 2_000 && (line = out.readLine()) != null) {
        String[] parts = line.split(" ");
        lastIndex = Integer.parseInt(parts[0]);
        lastRevision = Long.parseLong(parts[1]);
      }
      child.destroyForcibly(); // SIGKILL, mid-write
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lastIndex).as("the child wrote").isGreaterThanOrEqualTo(2_000);

    try (StateStore store = SqliteStateStore.open(db, SqliteOptions.DEFAULTS)) {
      assertThat(store.revision()).isGreaterThanOrEqualTo(lastRevision);
      assertThat(store.range("/crash/", 0).items().size()).isGreaterThanOrEqualTo(lastIndex + 1);
      assertThat(store.get("/crash/k" + lastIndex).orElseThrow().modRevision()).isEqualTo(lastRevision);
    }
  }
}
