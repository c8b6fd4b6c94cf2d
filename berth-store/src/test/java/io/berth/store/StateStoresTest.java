package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateStoresTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite://relative/berth.db", "etcd://", "foo://x", "etcd://127.0.0.1",
      "etcd://127.0.0.1:2379,", "etcd://127.0.0.1:notaport", "sqlite:///tmp/", "", "berth.db"})
  void malformedUrlsNameTheUrlAndTheExpectedForm(String url) {
    assertThatThrownBy(() -> StateStores.open(url))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("malformed store URL '" + url + "'")
        .hasMessageContaining("expected sqlite:///absolute/path/berth.db or etcd://host:port");
  }

  @Test
  void parsesSeveralEtcdEndpoints() {
    assertThat(StateStores.etcdEndpoints("etcd://10.0.0.1:2379,etcd-2.local:2379/"))
        .containsExactly("10.0.0.1:2379", "etcd-2.local:2379");
  }

  @Test
  void opensSqliteFromItsUrl() {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      assertThat(store.put("/a", new byte[] {1})).isEqualTo(1);
    }
  }

  @Test
  void unreachableEtcdFailsFastWithAClearMessage() throws Exception {
    int port = EtcdProcess.freePort();
    long start = System.nanoTime();
    assertThatThrownBy(() -> StateStores.open("etcd://127.0.0.1:" + port))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot reach etcd at 127.0.0.1:" + port + ": ");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
  }
}
