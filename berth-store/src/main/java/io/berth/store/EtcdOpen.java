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
  private EtcdOpen() {}

  /** Connects and makes one call, so that an unreachable etcd fails here and not at first use. */
  static EtcdStateStore connect(List<String> endpoints) {
    String names = String.join(",", endpoints);
    Client client = Client.builder()
        .endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    EtcdHealth health = new EtcdHealth(endpoints);
    try {
      CompletableFuture<GetResponse> first = client.getKVClient().get(EtcdStateStore.bytes("/berth/"), GetOption.builder().withCountOnly(true).build());
      try {
        first.get(3, TimeUnit.SECONDS);
      } catch (TimeoutException slow) {
        // Members that answer but cannot agree (no quorum) look like silence from here; say which. Members that are
        // healthy get longer: a process starting on a busy machine sets up its first connection slowly.
        StoreHealth now = health.check();
        if (!now.ok()) throw new StoreException("cannot reach etcd at " + names + ": " + now.message());
        first.get(7, TimeUnit.SECONDS);
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
