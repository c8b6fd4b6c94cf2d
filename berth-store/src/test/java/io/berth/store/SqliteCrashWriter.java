package io.berth.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The child process of {@link SqliteKillTest}: writes until killed, printing each committed revision. */
final class SqliteCrashWriter {
  private SqliteCrashWriter() {}

  public static void main(String[] args) {
    StateStore store = SqliteStateStore.open(Path.of(args[0]), SqliteOptions.DEFAULTS);
    for (int i = 0; ; i++) {
      long revision = store.put("/crash/k" + i, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
      System.out.println(i + " " + revision);
      System.out.flush();
    }
  }
}
