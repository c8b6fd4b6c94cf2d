package io.berth.store;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Waits for jetcd's futures with a deadline and turns their failures into one-sentence {@link StoreException}s. */
final class EtcdCalls {
  static final long TIMEOUT_SECONDS = 5;
  /**
   * How long a call may go unanswered before the members are counted: without a quorum etcd
   * holds a write until its own timeout, so the caller learns why within a second or two.
   */
  static final long QUORUM_PROBE_MS = 1_000;
  /** The grpc codes of a call that did not reach a working majority. */
  private static final Set<String> UNAVAILABLE = Set.of("UNAVAILABLE", "DEADLINE_EXCEEDED");

  private final String endpoints;
  private final Supplier<StoreHealth> health;

  EtcdCalls(String endpoints, Supplier<StoreHealth> health) {
    this.endpoints = endpoints;
    this.health = health;
  }

  String endpoints() {
    return endpoints;
  }

  <T> T await(String what, CompletableFuture<T> future) {
    return await(what, future, TIMEOUT_SECONDS, () -> {});
  }

  <T> T await(String what, CompletableFuture<T> future, long seconds) {
    return await(what, future, seconds, () -> {});
  }

  /**
   * As {@link #await}, for a call that may safely be made twice (a read, a lease renewal): when
   * the first attempt loses its connection, or has not answered after {@link #QUORUM_PROBE_MS}
   * while a quorum stands, a second one is made (and races the first). A request that went to a
   * member which then died is never answered, or fails with a closed channel; the second reaches
   * a member that lives.
   */
  <T> T awaitRepeatable(String what, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> either = new CompletableFuture<>();
    AtomicBoolean repeated = new AtomicBoolean();
    Runnable again = () -> {
      if (!repeated.getAndSet(true)) {
        attempt(call, either, null);
      }
    };
    attempt(call, either, again);
    return await(what, either, TIMEOUT_SECONDS, again);
  }

  /** Makes one attempt, whose answer settles {@code either}; a lost connection runs {@code again} instead, when there is one. */
  private static <T> void attempt(Supplier<CompletableFuture<T>> call, CompletableFuture<T> either, Runnable again) {
    CompletableFuture<T> attempt = call.get();
    either.whenComplete((value, error) -> attempt.cancel(true)); // no-op once this attempt has answered
    attempt.whenComplete((value, error) -> {
      if (error == null) {
        either.complete(value);
      } else if (again != null && isConnectionLoss(error)) {
        again.run();
      } else {
        either.completeExceptionally(error);
      }
    });
  }

  /**
   * Waits at most {@code seconds}; a call that fails as unavailable, or has not answered after
   * {@link #QUORUM_PROBE_MS}, while a majority of members do not answer fails with the health
   * sentence ({@code store has no quorum: 1 of 3 members answer}).
   */
  private <T> T await(String what, CompletableFuture<T> future, long seconds, Runnable whenSlowWithQuorum) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try {
      try {
        return future.get(Math.min(QUORUM_PROBE_MS, TimeUnit.SECONDS.toMillis(seconds)), TimeUnit.MILLISECONDS);
      } catch (TimeoutException slow) {
        throwIfNoQuorum(future, null);
        whenSlowWithQuorum.run();
        return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreException("cannot " + what + ": etcd at " + endpoints + " did not answer within " + seconds + " s");
    } catch (ExecutionException e) {
      if (isUnavailable(e.getCause())) {
        throwIfNoQuorum(future, e.getCause());
      }
      // netty's closed channel has no message of its own, only a class name
      String why = isConnectionLoss(e.getCause()) && !isUnavailable(e.getCause())
          ? "the connection to a member closed under the call" : message(e.getCause());
      throw new StoreException("cannot " + what + " in etcd at " + endpoints + ": " + why, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to " + what + " in etcd at " + endpoints, e);
    }
  }

  private void throwIfNoQuorum(CompletableFuture<?> future, Throwable cause) {
    StoreHealth now = health.get();
    if (!now.ok() && (cause != null || !future.isDone())) { // a call that answered meanwhile has its answer
      future.cancel(true);
      throw new StoreException(now.message(), cause);
    }
  }

  /** Unavailable, or the connection closed under the call: the request may never have reached etcd. */
  static boolean isConnectionLoss(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return isUnavailable(t);
  }

  /** grpc's UNAVAILABLE or DEADLINE_EXCEEDED, which is how etcd says "no leader" and "request timed out". */
  static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EtcdException e && UNAVAILABLE.contains(e.getErrorCode().name())) {
        return true;
      }
    }
    return UNAVAILABLE.contains(Status.fromThrowable(t).getCode().name());
  }

  /** The innermost message, which is where grpc and etcd say what went wrong. */
  static String message(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }

  static boolean isLeaseNotFound(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains("lease not found")) {
        return true;
      }
      if (c instanceof io.etcd.jetcd.lease.NoSuchLeaseException) {
        return true;
      }
    }
    return false;
  }

  static boolean isCompacted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof io.etcd.jetcd.common.exception.CompactedException
          || (c.getMessage() != null && c.getMessage().contains("required revision has been compacted"))) {
        return true;
      }
    }
    return false;
  }
}
