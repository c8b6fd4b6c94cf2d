package io.berth.store;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects a store to etcd: the client, its members' health checker, and a first call answered,
 * so that an etcd out of reach fails at start with a message that says why, not at first use.
 */
final class EtcdOpen {
  /** How long the first call may take before the members are counted. */
  static final long FIRST_WAIT_MS = 2_000;
  /** Between a count that found no quorum and the one that confirms it. */
  static final long RECOUNT_AFTER_MS = 1_000;
  /** How long a first call to members that do have a quorum may take in all. */
  static final long TOTAL_WAIT_MS = 10_000;

  private EtcdOpen() {}

  /** Whether {@code call} completed within {@code millis}; its failure is thrown. */
  private static boolean answers(CompletableFuture<?> call, long millis) throws ExecutionException, InterruptedException {
    try {
      call.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  /** Connects and makes one call, so that an unreachable etcd fails here and not at first use. */
  static EtcdStateStore connect(List<String> endpoints) {
    String names = String.join(",", endpoints);
    Client client = Client.builder()
        .endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    EtcdHealth health = new EtcdHealth(endpoints);
    try {
      long t0 = System.nanoTime();
      CompletableFuture<GetResponse> first = client.getKVClient().get(EtcdStateStore.bytes("/berth/"), GetOption.builder().withCountOnly(true).build());
      if (!answers(first, FIRST_WAIT_MS)) {
        // Members that answer but cannot agree (no quorum) look like silence from here; say which. One count can
        // miss a member that is only slow (a busy machine, the checker's connection still being set up), so a
        // count without quorum is made again a second later before the start is refused. Members that are
        // healthy get longer: a process starting on a busy machine sets up its first connection slowly.
        StoreHealth now = health.check();
        if (!now.ok() && !answers(first, RECOUNT_AFTER_MS)) {
          now = health.check();
          if (!now.ok()) throw new StoreException("cannot reach etcd at " + names + ": " + now.message());
        }
        first.get(Math.max(1, TOTAL_WAIT_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)), TimeUnit.MILLISECONDS);
      }
      return new EtcdStateStore(client, health, names);
    } catch (StoreException e) {
      closeAll(client, health);
      throw e;
    } catch (TimeoutException e) {
      closeAll(client, health);
      throw new StoreException("cannot reach etcd at " + names + ": no answer within 10 s");
    } catch (ExecutionException e) {
      closeAll(client, health);
      throw new StoreException("cannot reach etcd at " + names + ": " + EtcdCalls.message(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      closeAll(client, health);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while connecting to etcd at " + names, e);
    }
  }

  private static void closeAll(Client client, EtcdHealth health) {
    health.close();
    client.close();
  }
}
