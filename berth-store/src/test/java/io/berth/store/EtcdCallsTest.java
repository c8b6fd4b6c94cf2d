package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EtcdCallsTest {
  private final AtomicInteger checks = new AtomicInteger();

  private EtcdCalls calls(StoreHealth health) {
    return new EtcdCalls("a:2379,b:2379,c:2379", () -> {
      checks.incrementAndGet();
      return health;
    });
  }

  @Test
  void aCallThatHangsWithoutQuorumFailsWithTheHealthSentenceAfterTheProbe() {
    CompletableFuture<String> never = new CompletableFuture<>();
    long start = System.nanoTime();

    assertThatThrownBy(() -> calls(StoreHealth.of(1, 3)).await("write /a", never))
        .isInstanceOf(StoreException.class)
        .hasMessage("store has no quorum: 1 of 3 members answer");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(never).isCancelled();
  }

  @Test
  void aCallThatAnswersWhileTheMembersAreCountedKeepsItsAnswer() {
    CompletableFuture<String> late = new CompletableFuture<>();
    EtcdCalls calls = new EtcdCalls("a:2379", () -> {
      late.complete("v");
      return StoreHealth.of(0, 1);
    });

    assertThat(calls.await("read /a", late)).isEqualTo("v");
  }

  @Test
  void aReadUnansweredWithQuorumIsAskedAgainAndTheSecondAnswerCounts() {
    CompletableFuture<String> lost = new CompletableFuture<>();
    List<CompletableFuture<String>> attempts = List.of(lost, CompletableFuture.completedFuture("v"));
    AtomicInteger made = new AtomicInteger();

    String value = calls(StoreHealth.of(2, 3)).awaitRepeatable("read /a", () -> attempts.get(made.getAndIncrement()));

    assertThat(value).isEqualTo("v");
    assertThat(made).hasValue(2);
    assertThat(lost).isCancelled();
  }

  @Test
  void aReadWhoseConnectionClosesIsAskedAgainAtOnce() {
    List<CompletableFuture<String>> attempts = List.of(
        CompletableFuture.failedFuture(new ClosedChannelException()), CompletableFuture.completedFuture("v"));
    AtomicInteger made = new AtomicInteger();

    assertThat(calls(StoreHealth.of(0, 3)).awaitRepeatable("read /a", () -> attempts.get(made.getAndIncrement()))).isEqualTo("v");
    assertThat(checks).hasValue(0);
  }

  @Test
  void aReadThatEtcdRefusesIsNotAskedAgain() {
    AtomicInteger made = new AtomicInteger();

    assertThatThrownBy(() -> calls(StoreHealth.of(3, 3)).awaitRepeatable("renew lease 7", () -> {
      made.incrementAndGet();
      return CompletableFuture.<String>failedFuture(
          Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException());
    })).hasMessageContaining("lease not found");
    assertThat(made).hasValue(1);
  }

  @Test
  void aReadThatAnswersInTimeIsMadeOnce() {
    AtomicInteger made = new AtomicInteger();

    assertThat(calls(StoreHealth.of(0, 3)).awaitRepeatable("read /a", () -> {
      made.incrementAndGet();
      return CompletableFuture.completedFuture("v");
    })).isEqualTo("v");
    assertThat(made).hasValue(1);
    assertThat(checks).hasValue(0);
  }

  @Test
  void aReadWithoutQuorumIsNotAskedAgain() {
    AtomicInteger made = new AtomicInteger();

    assertThatThrownBy(() -> calls(StoreHealth.of(1, 3)).awaitRepeatable("read /a", () -> {
      made.incrementAndGet();
      return new CompletableFuture<String>();
    })).hasMessage("store has no quorum: 1 of 3 members answer");
    assertThat(made).hasValue(1);
  }

  @Test
  void anUnavailableCallWithoutQuorumFailsWithTheHealthSentence() {
    CompletableFuture<String> failed = CompletableFuture.failedFuture(
        Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException());

    assertThatThrownBy(() -> calls(StoreHealth.of(0, 3)).await("write /a", failed))
        .hasMessage("store has no quorum: 0 of 3 members answer");
  }

  @Test
  void anUnavailableCallWithQuorumKeepsItsOwnMessage() {
    CompletableFuture<String> failed = CompletableFuture.failedFuture(
        Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());

    assertThatThrownBy(() -> calls(StoreHealth.of(2, 3)).await("write /a", failed))
        .hasMessage("cannot write /a in etcd at a:2379,b:2379,c:2379: UNAVAILABLE: connection refused");
  }

  @Test
  void aWriteWhoseConnectionClosesSaysSoAndIsNotMadeAgain() {
    CompletableFuture<String> closed = CompletableFuture.failedFuture(new ClosedChannelException());

    assertThatThrownBy(() -> calls(StoreHealth.of(2, 3)).await("write /a", closed))
        .hasMessage("cannot write /a in etcd at a:2379,b:2379,c:2379: the connection to a member closed under the call");
  }

  @Test
  void otherFailuresAndQuickAnswersNeverAskTheMembers() {
    EtcdCalls calls = calls(StoreHealth.of(0, 3));
    CompletableFuture<String> refused = CompletableFuture.failedFuture(
        Status.FAILED_PRECONDITION.withDescription("etcdserver: requested lease not found").asRuntimeException());

    assertThat(calls.await("read /a", CompletableFuture.completedFuture("v"))).isEqualTo("v");
    assertThatThrownBy(() -> calls.await("write /a", refused)).hasMessageContaining("lease not found");
    assertThat(checks).hasValue(0);
  }

  @Test
  void aSlowCallWithQuorumIsWaitedForUntilItsTimeout() {
    CompletableFuture<String> never = new CompletableFuture<>();

    assertThatThrownBy(() -> calls(StoreHealth.of(2, 3)).await("write /a", never, 2))
        .hasMessage("cannot write /a: etcd at a:2379,b:2379,c:2379 did not answer within 2 s");
    assertThat(checks).hasValue(1);
  }
}
