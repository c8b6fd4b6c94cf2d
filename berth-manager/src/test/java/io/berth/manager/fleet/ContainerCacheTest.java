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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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
        assertThat(cache.arriving(node, "abc")).as("and from the cache itself once read").isEmpty();
        assertThat(cache.knows(node, "other")).isFalse();
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
        assertThat(cache.containers(node).orElseThrow()).isEmpty();
        assertThat(cache.knows(node, "other")).isFalse();
      }
    }
  }

  @Test
  void aContainersEventsMillisecondsApartAreOneReadAndTheCreateEventOfAContainerCreatedHereNone() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> {
      String target = req.target();
      if (target.startsWith("/v1.41/events")) {
        ScriptedEngine.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        while (true) {
          String e = take(events);
          ScriptedEngine.write(out, Integer.toHexString(e.length()) + "\r\n" + e + "\r\n");
        }
      }
      if (target.startsWith("/v1.41/containers/json?all=1&filters=")) {
        String id = target.contains("def") ? "def" : "abc";
        return ScriptedEngine.write(out, ScriptedEngine.ok("[{\"Id\":\"" + id + "\",\"Names\":[\"/" + id + "\"],\"State\":\"running\"}]"));
      }
      if (target.matches("/v1.41/containers/(abc|def)/json")) return ScriptedEngine.write(out, ScriptedEngine.ok(INSPECT));
      return ScriptedEngine.write(out, ScriptedEngine.ok("[]"));
    })) {
      Node node = engine.node(NodeAccess.ENGINE);
      try (ContainerCache cache = new ContainerCache(new NodeLink(null, null), () -> List.of(node))) {
        awaitTrue(() -> cache.containers(node).isPresent());
        events.add(event("abc", "create") + event("abc", "start")); // a container's events, milliseconds apart
        awaitTrue(() -> cache.knows(node, "abc"));
        assertThat(reads(engine, "abc")).as("one read for both events").isEqualTo(1);

        cache.created(node, "def", Map.of()); // created through this manager: read back at once
        events.add(event("def", "create")); // sent by the engine before its answer: the read-back has seen it
        assertThat(cache.containers(node).orElseThrow()).extracting(ContainerCache.Entry::id).contains("def");
        events.add(event("def", "start")); // a later change is read
        awaitTrue(() -> reads(engine, "def") == 2);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(reads(engine, "def")).as("the read-back, then the start; no read for the create event").isEqualTo(2);
      }
    }
  }

  @Test
  void aReadBackThatFailsLeavesNoLabelsBehindOnceTheNodeIsBackInStep() throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> {
      String target = req.target();
      if (target.startsWith("/v1.41/events")) {
        return ScriptedEngine.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      }
      if (target.startsWith("/v1.41/containers/json?all=1&filters=") && failed.compareAndSet(false, true)) {
        return ScriptedEngine.write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
      }
      return ScriptedEngine.write(out, ScriptedEngine.ok("[]")); // listings; the inspect of a container gone
    })) {
      Node node = engine.node(NodeAccess.ENGINE);
      try (ContainerCache cache = new ContainerCache(new NodeLink(null, null), () -> List.of(node))) {
        awaitTrue(() -> cache.containers(node).isPresent());
        cache.created(node, "abc", Map.of("io.berth.owner", "admin"));
        awaitTrue(failed::get);
        awaitTrue(() -> cache.containers(node).isPresent()); // listed again after the failed read
        assertThat(cache.arriving(node, "abc")).as("not found by its id: the node says nothing of it").isEmpty();
      }
    }
  }

  private static long reads(ScriptedEngine engine, String id) {
    return engine.requests.stream().filter(r -> r.contains("/containers/json?all=1&filters=") && r.contains(id)).count();
  }

  private static String event(String id, String action) {
    return "{\"Type\":\"container\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"" + id + "\"}}";
  }

  private static String take(BlockingQueue<String> events) throws IOException {
    try {
      return events.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    assertThat(condition.getAsBoolean()).isTrue();
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
