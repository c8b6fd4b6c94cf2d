package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The pulse on a fake clock against fake streams: what it opens, when it calls a manager silent, and what it forgives. */
class PulseTest {
  static final long MS = 1_000_000L;
  long now = 1_000 * MS;
  final ManagerSet managers = new ManagerSet(List.of("a:1", "b:1"));
  final FakeCalls calls = new FakeCalls();
  final Pulse pulse = new Pulse(managers, calls, () -> now);

  /** A stream the test drives: it hears, ends, and knows whether it was closed. */
  static final class Opened {
    final String address;
    final Runnable heard;
    final CompletableFuture<Integer> ended = new CompletableFuture<>();
    boolean closed;

    Opened(String address, Runnable heard) {
      this.address = address;
      this.heard = heard;
    }
  }

  static final class FakeCalls implements Pulse.Calls {
    final List<Opened> opened = new ArrayList<>();
    final List<String> aborted = new ArrayList<>();

    @Override
    public Pulse.Stream pulse(String address, Runnable heard) {
      Opened o = new Opened(address, heard);
      opened.add(o);
      return new Pulse.Stream(o.ended, () -> o.closed = true);
    }

    @Override
    public void abort(String address) {
      aborted.add(address);
    }

    Opened last() {
      return opened.get(opened.size() - 1);
    }
  }

  void advance(long millis) {
    now += millis * MS;
    pulse.step();
  }

  @Test
  void aManagerThatPulsesIsKeptAndOneSilentForMoreThan1200msIsLeftWithItsCallsEnded() {
    pulse.step();
    Opened a = calls.last();
    assertThat(a.address).isEqualTo("a:1");
    for (int i = 0; i < 10; i++) {
      a.heard.run(); // the answer, then a byte each half second
      advance(500);
    }
    assertThat(managers.isSilent("a:1")).isFalse();
    a.heard.run();
    advance(1200);
    assertThat(managers.isSilent("a:1")).isFalse(); // a stall of 0.7 s past the next pulse is forgiven
    assertThat(calls.aborted).isEmpty();
    advance(100);
    assertThat(managers.isSilent("a:1")).isTrue();
    assertThat(calls.aborted).containsExactly("a:1"); // a beat waiting on it ends now
    assertThat(a.closed).isTrue();
    assertThat(calls.opened).hasSize(1); // not opened again on the hung manager at once
  }

  @Test
  void aManagerThatNeverAnswersIsSilentOnceItsFirstAnswerIsOverdue() {
    pulse.step();
    advance(2500);
    assertThat(managers.isSilent("a:1")).isFalse();
    advance(100);
    assertThat(managers.isSilent("a:1")).isTrue();
  }

  @Test
  void afterAMoveTheOldStreamIsClosedTheNewManagerListenedToAndALateByteOfTheOldIgnored() {
    pulse.step();
    Opened a = calls.last();
    a.heard.run();
    managers.move("a:1", "test");
    advance(100);
    Opened b = calls.last();
    assertThat(a.closed).isTrue();
    assertThat(b.address).isEqualTo("b:1");
    assertThat(managers.isSilent("a:1")).isFalse(); // a move clears it
    for (int i = 0; i < 30; i++) {
      a.heard.run(); // the old manager's bytes say nothing of the new one
      advance(100);
    }
    assertThat(managers.isSilent("b:1")).isTrue();
  }

  @Test
  void anOlderManagerWithoutThePulseIsNotJudgedAndAskedAgainOnlyAfter30s() {
    pulse.step();
    calls.last().ended.complete(404);
    advance(100);
    for (int i = 0; i < 100; i++) advance(100);
    assertThat(managers.isSilent("a:1")).isFalse();
    assertThat(calls.opened).hasSize(1);
    advance(20_000);
    assertThat(calls.opened).hasSize(2);
  }

  @Test
  void aStreamThatFailsHasTheHeartbeatCheckTheManagerAndIsOpenedAgainAfterASecond() throws InterruptedException {
    pulse.step();
    calls.last().ended.completeExceptionally(new IOException("connection reset"));
    advance(100);
    long t0 = System.nanoTime();
    managers.awaitSuspicion(5000); // woken at once: the pulse suspected the manager
    assertThat(System.nanoTime() - t0).isLessThan(1_000 * MS);
    advance(800);
    assertThat(calls.opened).hasSize(1);
    advance(200);
    assertThat(calls.opened).hasSize(2);
    assertThat(managers.isSilent("a:1")).isFalse();
  }

  @Test
  void aLoneManagerIsNeverCalledSilent() {
    ManagerSet lone = new ManagerSet(List.of("a:1"));
    Pulse alone = new Pulse(lone, calls, () -> now);
    alone.step();
    now += 10_000 * MS;
    alone.step();
    assertThat(lone.isSilent("a:1")).isFalse();
    assertThat(calls.aborted).isEmpty();
  }
}
