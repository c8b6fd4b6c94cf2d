package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log bodies as engines send them, cut into the lines a client sees. */
class LogLinesTest {
  @Test
  void framesThatSplitLinesAreJoinedPerStream() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    frame(body, 1, "hel");
    frame(body, 2, "warn");
    frame(body, 1, "lo\nwor");
    frame(body, 2, "ing\n");
    frame(body, 1, "ld\nno newline at the end");
    assertThat(lines(body.toByteArray(), true, Integer.MAX_VALUE)).containsExactly("hello", "warning", "world", "no newline at the end");
  }

  @Test
  void aTtysRawBytesAreLinesEndedByCrLf() throws Exception {
    assertThat(lines("one\r\ntwo\r\n\r\nthree".getBytes(StandardCharsets.UTF_8), false, Integer.MAX_VALUE))
        .containsExactly("one", "two", "", "three");
  }

  @Test
  void aLineLongerThanTheLimitIsCutAndTheReadStopsWhenTheSinkSaysSo() throws Exception {
    String longLine = "x".repeat(LogLines.MAX_LINE);
    List<String> got = lines((longLine + "\nafter\n").getBytes(StandardCharsets.UTF_8), false, Integer.MAX_VALUE);
    assertThat(got).hasSize(2);
    assertThat(got.get(0)).hasSize(LogLines.MAX_LINE);
    assertThat(got.get(1)).isEqualTo("after");
    assertThat(lines("a\nb\nc\n".getBytes(StandardCharsets.UTF_8), false, 2)).containsExactly("a", "b");
  }

  @Test
  void aFrameCutShortPassesOnWhatCame() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    frame(body, 1, "whole\n");
    body.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 20});
    body.write("part".getBytes(StandardCharsets.UTF_8));
    assertThat(lines(body.toByteArray(), true, Integer.MAX_VALUE)).containsExactly("whole", "part");
  }

  private static List<String> lines(byte[] body, boolean multiplexed, int take) throws Exception {
    List<String> out = new ArrayList<>();
    LogLines.read(new ByteArrayInputStream(body), multiplexed, (text, length) -> {
      out.add(new String(text, 0, length, StandardCharsets.UTF_8));
      return out.size() < take;
    });
    return out;
  }

  private static void frame(ByteArrayOutputStream out, int stream, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
    out.write(b);
  }
}
