package io.berth.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for jetcd's futures with a deadline and turns their failures into one-sentence {@link StoreException}s. */
final class EtcdCalls {
  static final long TIMEOUT_SECONDS = 5;

  private final String endpoints;

  EtcdCalls(String endpoints) {
    this.endpoints = endpoints;
  }

  String endpoints() {
    return endpoints;
  }

  <T> T await(String what, CompletableFuture<T> future) {
    return await(what, future, TIMEOUT_SECONDS);
  }

  <T> T await(String what, CompletableFuture<T> future, long seconds) {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreException("cannot " + what + ": etcd at " + endpoints + " did not answer within " + seconds + " s");
    } catch (ExecutionException e) {
      throw new StoreException("cannot " + what + " in etcd at " + endpoints + ": " + message(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to " + what + " in etcd at " + endpoints, e);
    }
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
