package io.berth.cluster.pulse;

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
  final FakeManagers managers = new FakeManagers(List.of("a:1", "b:1"));
  final FakeOpener opener = new FakeOpener();
  final Pulse pulse = new Pulse(managers, opener, () -> now);

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

  static final class FakeOpener implements Pulse.Opener {
    final List<Opened> opened = new ArrayList<>();

    @Override
    public Pulse.Stream open(String address, Runnable heard) {
      Opened o = new Opened(address, heard);
      opened.add(o);
      return new Pulse.Stream(o.ended, () -> o.closed = true);
    }

    Opened last() {
      return opened.get(opened.size() - 1);
    }
  }

  /** Managers known by a caller: the first is current until {@link #move}. */
  static final class FakeManagers implements Pulse.Managers {
    final List<String> known;
    String current;
    final List<String> silent = new ArrayList<>();
    final List<String> unreachable = new ArrayList<>();

    FakeManagers(List<String> known) {
      this.known = known;
      this.current = known.get(0);
    }

    void move() {
      current = known.get((known.indexOf(current) + 1) % known.size());
    }

    @Override
    public String current() {
      return current;
    }

    @Override
    public boolean several() {
      return known.size() > 1;
    }

    @Override
    public void silent(String address) {
      silent.add(address);
    }

    @Override
    public void unreachable(String address) {
      unreachable.add(address);
    }
  }

  void advance(long millis) {
    now += millis * MS;
    pulse.step();
  }

  @Test
  void aManagerThatPulsesIsKeptAndOneSilentForMoreThan1200msIsLeft() {
    pulse.step();
    Opened a = opener.last();
    assertThat(a.address).isEqualTo("a:1");
    for (int i = 0; i < 10; i++) {
      a.heard.run(); // the answer, then a byte each half second
      advance(500);
    }
    assertThat(managers.silent).isEmpty();
    a.heard.run();
    advance(1200);
    assertThat(managers.silent).isEmpty(); // a stall of 0.7 s past the next pulse is forgiven
    advance(100);
    assertThat(managers.silent).containsExactly("a:1");
    assertThat(a.closed).isTrue();
    advance(100);
    assertThat(opener.opened).hasSize(1); // not opened again on the hung manager at once
    assertThat(managers.silent).hasSize(1);
  }

  @Test
  void aManagerThatNeverAnswersIsSilentOnceItsFirstAnswerIsOverdue() {
    pulse.step();
    advance(2500);
    assertThat(managers.silent).isEmpty();
    advance(100);
    assertThat(managers.silent).containsExactly("a:1");
  }

  @Test
  void afterAMoveTheOldStreamIsClosedTheNewManagerListenedToAndALateByteOfTheOldIgnored() {
    pulse.step();
    Opened a = opener.last();
    a.heard.run();
    managers.move();
    advance(100);
    Opened b = opener.last();
    assertThat(a.closed).isTrue();
    assertThat(b.address).isEqualTo("b:1");
    for (int i = 0; i < 30; i++) {
      a.heard.run(); // the old manager's bytes say nothing of the new one
      advance(100);
    }
    assertThat(managers.silent).containsExactly("b:1");
  }

  @Test
  void anOlderManagerWithoutThePulseIsNotJudgedAndAskedAgainOnlyAfter30s() {
    pulse.step();
    opener.last().ended.complete(404);
    advance(100);
    for (int i = 0; i < 100; i++) advance(100);
    assertThat(managers.silent).isEmpty();
    assertThat(opener.opened).hasSize(1);
    advance(20_000);
    assertThat(opener.opened).hasSize(2);
  }

  @Test
  void aStreamThatFailsHasTheManagerCheckedAndIsOpenedAgainAfterASecond() {
    pulse.step();
    opener.last().ended.completeExceptionally(new IOException("connection reset"));
    advance(100);
    assertThat(managers.unreachable).containsExactly("a:1");
    advance(800);
    assertThat(opener.opened).hasSize(1);
    advance(200);
    assertThat(opener.opened).hasSize(2);
    assertThat(managers.silent).isEmpty();
  }

  @Test
  void aLoneManagerIsNeverCalledSilent() {
    FakeManagers lone = new FakeManagers(List.of("a:1"));
    Pulse alone = new Pulse(lone, opener, () -> now);
    alone.step();
    now += 10_000 * MS;
    alone.step();
    assertThat(lone.silent).isEmpty();
    assertThat(opener.last().closed).isFalse();
  }
}
