package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requests for one container become one read while none has begun, and never join a read already begun. */
class RefreshesTest {
  private static final long LONG = TimeUnit.SECONDS.toNanos(30);
  private final List<List<String>> reads = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hold = new CountDownLatch(0);

  private Refreshes refreshes(AtomicReference<Exception> failed) {
    return new Refreshes(ids -> {
      reads.add(ids);
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (ids.contains("bad")) throw new IOException("the node went");
    }, failed::set);
  }

  @Test
  void requestsForAContainerNotReadYetBecomeOneReadAndOneThatMustNotWaitBringsItForward() throws Exception {
    Refreshes r = refreshes(new AtomicReference<>());
    CompletableFuture<Void> create = r.request("abc", LONG); // an event: waits for others to join
    CompletableFuture<Void> start = r.request("abc", LONG);
    assertThat(start).as("the same read").isSameAs(create);
    CompletableFuture<Void> readBack = r.request("abc", 0); // a write's read-back brings it forward
    readBack.get(5, TimeUnit.SECONDS);
    assertThat(create).isDone();
    assertThat(reads).containsExactly(List.of("abc"));
  }

  @Test
  void aRequestWhileItsContainerIsBeingReadGetsAReadOfItsOwn() throws Exception {
    Refreshes r = refreshes(new AtomicReference<>());
    hold = new CountDownLatch(1);
    CompletableFuture<Void> first = r.request("abc", 0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (reads.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
    CompletableFuture<Void> second = r.request("abc", 0); // the first read may have read before what this one asks for
    assertThat(second).isNotSameAs(first);
    hold.countDown();
    second.get(5, TimeUnit.SECONDS);
    assertThat(reads).containsExactly(List.of("abc"), List.of("abc"));
    assertThat(r.reads()).isEqualTo(2);
  }

  @Test
  void learningAContainerAnotherManagerCreatedJoinsTheReadUnderWay() throws Exception {
    Refreshes r = refreshes(new AtomicReference<>());
    hold = new CountDownLatch(1);
    r.request("abc", 0); // its event's read, begun after it was created
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (reads.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
    CompletableFuture<Void> learnt = CompletableFuture.runAsync(() -> r.learn("abc"));
    Thread.sleep(100);
    assertThat(learnt).as("waits for the read under way").isNotDone();
    hold.countDown();
    learnt.get(5, TimeUnit.SECONDS);
    r.learn("def"); // nothing under way: a read of its own
    assertThat(reads).containsExactly(List.of("abc"), List.of("def"));
  }

  @Test
  void containersDueTogetherAreReadTogetherAndReadersWaitForReadBacksOnly() throws Exception {
    Refreshes r = refreshes(new AtomicReference<>());
    hold = new CountDownLatch(1);
    r.request("first", 0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (reads.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
    CompletableFuture<Void> event = r.request("a", 0); // asked for while "first" is read: due together after it
    r.readBack("b", 0);
    assertThat(r.settled(Duration.ofMillis(100))).as("a read-back not done holds readers back").isFalse();
    hold.countDown();
    assertThat(r.settled(Duration.ofSeconds(5))).isTrue();
    event.get(5, TimeUnit.SECONDS);
    assertThat(reads).containsExactly(List.of("first"), List.of("a", "b"));
  }

  @Test
  void aFailedReadIsToldAndItsRequestsStillEndAndClosingEndsThoseWaiting() throws Exception {
    AtomicReference<Exception> failed = new AtomicReference<>();
    Refreshes r = refreshes(failed);
    r.request("bad", 0).get(5, TimeUnit.SECONDS);
    assertThat(failed.get()).hasMessage("the node went");
    CompletableFuture<Void> waiting = r.request("later", LONG);
    r.close();
    assertThat(waiting).isDone();
    assertThat(r.request("after", 0)).as("nothing reads once closed").isDone();
    assertThat(reads).containsExactly(List.of("bad"));
  }
}
