package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A write's refresh may run while its answer goes out, but no reader of the node's cache reads before it is done;
 * only a lookup of the container's id finds it meanwhile.
 */
class ContainerCacheTest {
  private static final String INSPECT = "{\"Id\":\"abc\",\"Created\":\"2026-12-06T10:00:00.123Z\",\"State\":{\"Status\":\"running\","
      + "\"Running\":true,\"StartedAt\":\"2026-12-06T10:00:01Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\"},\"HostConfig\":{}}";
  private final CountDownLatch release = new CountDownLatch(1);

  @Test
  void readersWaitForTheRefreshAWriteStartedBeforeTheyReadButItsIdIsFoundAtOnce() throws Exception {
    try (ScriptedEngine engine = new ScriptedEngine(this::answer)) {
      Node node = engine.node(NodeAccess.ENGINE);
      try (ContainerCache cache = new ContainerCache(new NodeLink(null, null), () -> List.of(node))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.containers(node).isEmpty() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(cache.containers(node)).contains(List.of());

        cache.refreshSoon(node, "abc", Map.of("io.berth.owner", "admin")); // its listing is held back until released
        assertThat(cache.arriving(node, "abc")).as("found by its id meanwhile").contains(Map.of("io.berth.owner", "admin"));
        CompletableFuture<Optional<List<ContainerCache.Entry>>> read = CompletableFuture.supplyAsync(() -> cache.containers(node));
        assertThatThrownBy(() -> read.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThat(read.get(5, TimeUnit.SECONDS).orElseThrow()).extracting(ContainerCache.Entry::id).containsExactly("abc");
        assertThat(cache.holds(node, "abc")).isTrue();
        assertThat(cache.arriving(node, "abc")).as("and from the cache itself once read").isEmpty();
        assertThat(cache.holds(node, "other")).isFalse();
      }
    }
  }

  @Test
  void aContainerItsEventSaidWasDestroyedIsKnownWithNothingLeftToRead() throws Exception {
    String destroyed = "{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"gone1\"}}";
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> req.target().startsWith("/v1.41/events")
        ? ScriptedEngine.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(destroyed.length()) + "\r\n" + destroyed + "\r\n")
        : ScriptedEngine.write(out, ScriptedEngine.ok("[]")))) {
      Node node = engine.node(NodeAccess.ENGINE);
      try (ContainerCache cache = new ContainerCache(new NodeLink(null, null), () -> List.of(node))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cache.knows(node, "gone1") && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(cache.knows(node, "gone1")).as("seen destroyed: a journal entry naming it needs no read-back").isTrue();
        assertThat(cache.holds(node, "gone1")).isFalse();
        assertThat(cache.knows(node, "other")).isFalse();
      }
    }
  }

  private boolean answer(int n, HttpMessage req, OutputStream out) throws IOException {
    String target = req.target();
    if (target.startsWith("/v1.41/events")) {
      return ScriptedEngine.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    }
    if (target.startsWith("/v1.41/containers/json?all=1&filters=")) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ScriptedEngine.write(out, ScriptedEngine.ok("[{\"Id\":\"abc\",\"Names\":[\"/web\"],\"State\":\"running\"}]"));
    }
    if (target.equals("/v1.41/containers/abc/json")) return ScriptedEngine.write(out, ScriptedEngine.ok(INSPECT));
    return ScriptedEngine.write(out, ScriptedEngine.ok("[]")); // the full listings of containers and images
  }
}
