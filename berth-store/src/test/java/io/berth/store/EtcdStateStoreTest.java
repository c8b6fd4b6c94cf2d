package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole contract on a real etcd. A unit test, not an IT: fencing, and watches that outlive a
 * lost stream, are etcd's half of leadership, so every build checks them.
 */
class EtcdStateStoreTest extends StateStoreContract {
  @RegisterExtension static final EtcdForClass etcd = new EtcdForClass();

  @Override
  protected StateStore openStore() {
    return StateStores.open(etcd.url());
  }

  @Override
  protected void compact(StateStore store, long revision) {
    try (Client client = Client.builder().endpoints("http://" + etcd.endpoint()).build()) {
      client.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build())
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("compaction failed", e);
    }
  }

  @Override
  protected Duration expiryBound(Duration ttl) {
    // etcd raises TTLs below its minimum to 2 s and checks expiry every 500 ms.
    return Duration.ofSeconds(6);
  }

  @Test
  @SuppressWarnings("try") // closes etcd early on purpose
  void aStoppedEtcdFailsCallsWithinTheTimeout() throws Exception {
    try (EtcdProcess own = EtcdProcess.start(); StateStore other = StateStores.open(own.url())) {
      other.put("/a", bytes("1"));
      own.close();
      long start = System.nanoTime();
      Assertions.assertThatThrownBy(() -> other.get("/a"))
          .isInstanceOf(StoreException.class)
          .hasMessage("store has no quorum: 0 of 1 members answer");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
  }
}
