package io.berth.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd watches: jetcd calls back on its event loop, so each watch hands events to a
 * {@link WatchDelivery} queue and its consumer runs on a thread of its own. Each watch is an
 * {@link EtcdSubscription}, which subscribes again after a lost stream or a lost quorum.
 */
final class EtcdWatches {
  private final Client client;
  private final EtcdCalls calls;
  private final List<WatchDelivery> open = new CopyOnWriteArrayList<>();

  EtcdWatches(Client client, EtcdCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    ByteSequence key = EtcdStateStore.bytes(prefix);
    long current = calls.awaitRepeatable("read the revision",
        () -> client.getKVClient().get(key, GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
    // "From now" is the revision after the one just read, not the server's notion of now when
    // the watch request lands: a write between our return and that moment must not be missed.
    long start = fromRevision == 0 ? current + 1 : fromRevision;
    if (start <= current) {
      checkNotCompacted(key, start);
    }
    WatchDelivery[] self = new WatchDelivery[1];
    WatchDelivery delivery = new WatchDelivery(prefix, consumer, () -> open.remove(self[0]));
    self[0] = delivery;
    EtcdSubscription subscription = new EtcdSubscription(client, key, start, delivery, calls.endpoints());
    subscription.subscribe();
    open.add(delivery);
    delivery.start(List.of());
    return subscription::close;
  }

  /**
   * etcd reports a compacted start revision asynchronously, after the watch is created; a read at
   * that revision fails at once with the same cause, so the caller gets the exception here.
   */
  private void checkNotCompacted(ByteSequence key, long revision) {
    try {
      calls.await("read history", client.getKVClient().get(key, GetOption.builder().withRevision(revision).withCountOnly(true).build()));
    } catch (StoreException e) {
      if (!EtcdCalls.isCompacted(e)) {
        throw e;
      }
      throw new CompactedException(revision, compactRevision(key, revision));
    }
  }

  /** Asks a short-lived watch for the compaction point, which only watch errors carry. */
  @SuppressWarnings("try")
  private long compactRevision(ByteSequence key, long revision) {
    CompletableFuture<Long> compacted = new CompletableFuture<>();
    WatchOption option = WatchOption.builder().withRevision(revision).build();
    try (io.etcd.jetcd.Watch.Watcher w = client.getWatchClient().watch(key, option, io.etcd.jetcd.Watch.listener(
        response -> {},
        error -> {
          if (error instanceof io.etcd.jetcd.common.exception.CompactedException c) {
            compacted.complete(c.getCompactedRevision());
          } else {
            compacted.completeExceptionally(error);
          }
        }))) {
      // etcd keeps its compaction revision itself; everything below it is gone.
      return compacted.get(EtcdCalls.TIMEOUT_SECONDS, TimeUnit.SECONDS) - 1;
    } catch (Exception e) {
      return revision; // unknown; at least the requested revision is gone
    }
  }

  void close() {
    for (WatchDelivery delivery : open) {
      delivery.close();
    }
    open.clear();
  }
}
