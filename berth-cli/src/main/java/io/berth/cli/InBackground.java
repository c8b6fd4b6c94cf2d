package io.berth.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One step of {@code berth dev}'s start (the engine check, nginx) run on a virtual thread of its own
 * while the command goes on with the next: the steps that need nothing of each other overlap. Closing
 * it waits for the step and closes what it made, so a start that fails half-way leaves nothing running.
 */
final class InBackground<T extends AutoCloseable> implements AutoCloseable {
  private final FutureTask<T> task;

  private InBackground(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code step} (it may return null: it made nothing) on a virtual thread named {@code name}. */
  static <T extends AutoCloseable> InBackground<T> start(String name, Callable<T> step) {
    FutureTask<T> task = new FutureTask<>(step);
    Thread.ofVirtual().name(name).start(task);
    return new InBackground<>(task);
  }

  /** What the step made, once it is done; its failure is thrown as the step threw it. */
  T join() throws Exception {
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public void close() throws Exception {
    T made;
    try {
      made = join();
    } catch (Exception failed) {
      return; // it made nothing to close; whoever joined it reports the failure
    }
    if (made != null) made.close();
  }
}
