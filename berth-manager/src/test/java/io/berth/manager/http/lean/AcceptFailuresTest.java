package io.berth.manager.http.lean;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acceptor's pauses and log lines while accepts fail: never a spin, never a line per try. */
class AcceptFailuresTest {
  private static final long MS = 1_000_000L;
  private static final IOException EMFILE = new IOException("Too many open files");

  @Test
  void pausesDoubleFromAMillisecondToASecondAndStartOverAfterAnAccept() {
    AcceptFailures f = new AcceptFailures();
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 14; i++) pauses.add(f.failed(0, i * MS) / MS);
    assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1000L, 1000L, 1000L, 1000L);
    f.accepted();
    assertThat(f.failed(0, 0)).isEqualTo(AcceptFailures.FIRST_PAUSE_NANOS);
  }

  @Test
  void aMillionFailuresInAMinuteAreSixLinesSayingHowManyAndTheFileLimit() {
    AcceptFailures f = new AcceptFailures();
    List<String> lines = new ArrayList<>();
    long minute = 60_000 * MS;
    for (int i = 0; i < 1_000_000; i++) {
      long t = i * (minute / 1_000_000);
      f.failed(i % 2, t);
      f.report(EMFILE, t).ifPresent(lines::add);
    }
    assertThat(lines).hasSize(6); // the first at once, then one every 10 s: 10, 20, 30, 40 and 50 s
    assertThat(lines.get(0)).startsWith("Too many open files (1 accept failed)").contains("open files ").contains("of a limit of ")
        .contains("no idle connection to close").contains("LimitNOFILE");
    assertThat(lines.get(1)).startsWith("Too many open files (166667 accepts failed in the last 10 s)")
        .contains("closed 83334 idle connections to make room");
  }

  @Test
  void otherFailuresAreCountedWithoutTheFileAdvice() {
    AcceptFailures f = new AcceptFailures();
    f.failed(0, 0);
    assertThat(f.report(new IOException("Connection reset"), 0)).hasValue("Connection reset (1 accept failed)");
    f.failed(0, MS);
    assertThat(f.report(new IOException("Connection reset"), MS)).isEmpty(); // within 10 s of the last line
    assertThat(f.report(new IOException("Connection reset"), 11_000 * MS)).hasValue("Connection reset (1 accept failed in the last 11 s)");
    assertThat(f.report(new IOException("Connection reset"), 30_000 * MS)).isEmpty(); // nothing new
  }
}
