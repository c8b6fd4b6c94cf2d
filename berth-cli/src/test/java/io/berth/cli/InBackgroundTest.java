package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A start-up step in the background: its result, its failure as thrown, and what it made closed. */
class InBackgroundTest {
  final AtomicInteger closed = new AtomicInteger();

  @Test
  void joinGivesWhatTheStepMadeAndCloseClosesIt() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    AutoCloseable part = closed::incrementAndGet;
    InBackground<AutoCloseable> step = InBackground.start("test-step", () -> {
      go.await(); // runs beside the caller: it waits for the caller's signal
      return part;
    });
    go.countDown();
    assertThat(step.join()).isSameAs(part);
    step.close();
    assertThat(closed).hasValue(1);
  }

  @Test
  void aFailedStepThrowsItsOwnExceptionAndClosesNothing() throws Exception {
    InBackground<AutoCloseable> step = InBackground.start("test-step", () -> {
      throw new IOException("no Docker engine answers");
    });
    assertThatThrownBy(step::join).isInstanceOf(IOException.class).hasMessage("no Docker engine answers");
    step.close();
    assertThat(closed).hasValue(0);
  }

  @Test
  void aStepThatMadeNothingClosesQuietly() throws Exception {
    InBackground<AutoCloseable> step = InBackground.start("test-step", () -> null);
    assertThat(step.join()).isNull();
    step.close();
  }
}
