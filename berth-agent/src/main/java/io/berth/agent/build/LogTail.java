package io.berth.agent.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Follows a file a step's container writes its output to: each call hands on the whole lines
 * written since the last, keeping a line's unfinished end (and a character cut in two) for the next.
 */
final class LogTail {
  private final Path file;
  private final Consumer<String> out;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long position;

  LogTail(Path file, Consumer<String> out) {
    this.file = file;
    this.out = out;
  }

  /** Hands on the new whole lines; {@code last}: the writer is gone, so an unfinished line is whole too. */
  void read(boolean last) throws IOException {
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(position);
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = in.read(chunk)) > 0; position += n) emit(chunk, n);
      }
    }
    if (last && partial.size() > 0) {
      out.accept(strip(partial.toString(StandardCharsets.UTF_8)));
      partial.reset();
    }
  }

  private void emit(byte[] chunk, int n) {
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (chunk[i] != '\n') continue;
      partial.write(chunk, start, i - start);
      out.accept(strip(partial.toString(StandardCharsets.UTF_8)));
      partial.reset();
      start = i + 1;
    }
    partial.write(chunk, start, n - start);
    if (partial.size() > RunLog.MAX_LINE) { // a line without end: hand on what came, RunLog cuts it
      out.accept(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    }
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
