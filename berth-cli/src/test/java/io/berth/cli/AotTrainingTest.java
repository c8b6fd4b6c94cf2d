package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up cache's training run exercises every command it names, each to a successful end. */
class AotTrainingTest {
  @Test
  void everyTrainingCommandSucceedsAgainstTheCannedManager() throws Exception {
    assertThat(AotTraining.train(false)).isZero();
  }

  @Test
  void theQuickLinesSucceedOnTheQuickPath() throws Exception {
    assertThat(AotTraining.train(true)).isZero();
  }
}
