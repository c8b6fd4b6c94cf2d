package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** etcd's bulk reads and writes: a snapshot larger than a page is still one moment; writes go in batches. */
class EtcdBulkTest {
  @RegisterExtension static final EtcdForClass etcd = new EtcdForClass();

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSnapshotReadsEveryPageAtTheFirstPagesRevisionThoughWritesCameBetween() {
    try (Client client = Client.builder().endpoints("http://" + etcd.endpoint()).build();
         StateStore store = StateStores.open(etcd.url())) {
      List<Integer> written = new ArrayList<>();
      Map<String, byte[]> keys = new TreeMap<>();
      keys.put("/p/a", bytes("1"));
      for (int i = 0; i < 1200; i++) {
        keys.put(String.format("/p/m/%04d", i), bytes("x"));
      }
      keys.put("/p/z", bytes("1"));
      store.putAll(keys, written::add); // ten transactions of at most 128
      assertThat(written).hasSize(10).startsWith(128, 256).endsWith(1202);
      store.put("/q/outside", bytes("not under the prefix"));
      AtomicInteger between = new AtomicInteger();
      EtcdBulk bulk = new EtcdBulk(client::getKVClient, new EtcdCalls(etcd.endpoint(), () -> StoreHealth.of(1, 1)), () -> {
        between.incrementAndGet();
        store.put("/p/a", bytes("2"));
        store.put("/p/z", bytes("2"));
      });

      Page snapshot = bulk.snapshot("/p/");

      assertThat(between.get()).as("1202 keys in pages of %d", EtcdBulk.PAGE).isEqualTo(2);
      assertThat(snapshot.items()).hasSize(1202);
      assertThat(snapshot.items().getFirst().text()).isEqualTo("1");
      assertThat(snapshot.items().getLast().key()).isEqualTo("/p/z");
      assertThat(snapshot.items().getLast().text()).as("the last page read at the first page's revision").isEqualTo("1");
      assertThat(store.get("/p/z").orElseThrow().text()).isEqualTo("2");
    }
  }

  @Test
  void thePrefixEndIsTheFirstKeyAfterThePrefix() {
    assertThat(EtcdBulk.prefixEnd(bytes("/berth/"))).isEqualTo(bytes("/berth0"));
    assertThat(EtcdBulk.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo(new byte[] {'b'});
    assertThat(EtcdBulk.prefixEnd(new byte[] {(byte) 0xff})).isEqualTo(new byte[] {0});
  }
}
