package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry started in the background reports its start's failure where the manager waits for it. */
class RegistryStartTest {
  @TempDir Path dir;

  Registry registry(RegistryConfig config) {
    Instant now = Instant.now();
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", now), Registry.ISSUER, Registry.SERVICE, now);
    return new Registry(config, "s3cret", new FakeAccess(), tokens, repo -> true, Clock.systemUTC());
  }

  @Test
  void aFailedBackgroundStartIsThrownByAwaitStarted() {
    RegistryConfig missing = new RegistryConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir, dir.resolve("no-registry"));
    try (Registry r = registry(missing).startInBackground(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 8080)) {
      assertThatThrownBy(r::awaitStarted).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not installed");
    }
  }

  @Test
  void withoutARegistryTheStartIsDoneAtOnce() {
    try (Registry r = registry(null)) {
      assertThat(r.startInBackground(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 8080).awaitStarted()).isSameAs(r);
    }
  }
}
