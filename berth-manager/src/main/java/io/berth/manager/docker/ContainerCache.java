package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every ready node's containers and images, kept in memory as classic Swarm kept them: per node,
 * one long-lived {@code GET /events} stream (opened first, so nothing is missed), then a full
 * listing, then each container event refreshes that one container. {@code docker ps}, lookups,
 * {@code info} and scheduling read from here instead of asking every node.
 *
 * <p>Writes made through the manager refresh the container they touched before answering
 * ({@link #refresh}), so a client reads its own writes; the event stream brings in everything
 * else (a crash, a restart policy, someone using the engine directly). A node whose stream is
 * down is "not synced" and its readers ask the node directly, as before the cache.
 */
final class ContainerCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContainerCache.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final String V = "/v" + DockerEndpoint.API_VERSION;
  private static final String EVENTS = V + "/events?filters=" + enc("{\"type\":[\"container\",\"image\"]}");
  /** Container events that change nothing a listing shows. */
  private static final Set<String> QUIET = Set.of("attach", "detach", "resize", "top", "export", "copy", "archive-path",
      "extract-to-dir", "commit", "exec_create", "exec_start", "exec_die", "exec_detach");
  private static final Duration KEEP_EVERY = Duration.ofMillis(500);
  /** Full listings run this many nodes at a time, so a manager starting beside thousands of nodes is not flooded. */
  private final java.util.concurrent.Semaphore listings = new java.util.concurrent.Semaphore(32);
  private final NodeLink link;
  private final Supplier<List<Node>> readyNodes;
  private final Map<String, NodeCache> byName = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private final Thread keeper;
  private boolean allInStep;

  /** One cached container: its listing entry (as the engine wrote it) and what its status is made from. */
  record Entry(ObjectNode summary, ContainerStatus status) {
    String id() {
      return summary.path("Id").asText();
    }

    /** Creation time in nanoseconds: exact from the cache, to the second when read from a listing. */
    long createdNanos() {
      if (status != null) return status.created().getEpochSecond() * 1_000_000_000L + status.created().getNano();
      return summary.path("Created").asLong() * 1_000_000_000L;
    }

    /** The State word: from the kept status, or as the node listed it. */
    String state() {
      return status != null ? status.word() : summary.path("State").asText();
    }

    /** A copy of the listing entry, its State and Status as the engine would write them at {@code now}. */
    ObjectNode listing(java.time.Instant now) {
      ObjectNode copy = summary.deepCopy();
      if (status != null) {
        copy.put("State", status.word());
        copy.put("Status", status.text(now));
      }
      return copy;
    }
  }

  ContainerCache(NodeLink link, Supplier<List<Node>> readyNodes) {
    this.link = link;
    this.readyNodes = readyNodes;
    this.keeper = Thread.ofVirtual().name("container-cache").start(this::keep);
  }

  /** The node's containers, or empty when its cache is not in step with the node right now. */
  Optional<List<Entry>> containers(Node node) {
    NodeCache c = current(node);
    return c == null ? Optional.empty() : Optional.of(List.copyOf(c.containers.values()));
  }

  /** The node's containers with the version they are at, or empty when not in step. */
  Optional<Held> held(Node node) {
    NodeCache c = current(node);
    if (c == null) return Optional.empty();
    long version = c.version.get(); // read first: a change while copying makes the copy newer than its version, never older
    return Optional.of(new Held(List.copyOf(c.containers.values()), version));
  }

  /** A node's containers as kept, and a number that changes whenever they or its images do. */
  record Held(List<Entry> entries, long version) {}

  /** The node's images as {@code /images/json} lists them, or empty when not in step. */
  Optional<JsonNode> images(Node node) {
    NodeCache c = current(node);
    return c == null ? Optional.empty() : Optional.of(c.images);
  }

  /** Reads one container again from its node (after a write made through the manager). */
  void refresh(Node node, String id) {
    NodeCache c = current(node);
    if (c == null) return;
    try {
      c.refresh(id);
    } catch (RuntimeException | IOException e) {
      c.lost("refresh of " + id + " failed: " + e.getMessage());
    }
  }

  /** Reads the node's images again (after a load, pull, tag, rmi or commit made through the manager). */
  void refreshImages(Node node) {
    NodeCache c = current(node);
    if (c == null) return;
    try {
      c.refreshImages();
    } catch (RuntimeException | IOException e) {
      c.lost("image refresh failed: " + e.getMessage());
    }
  }

  /** Lists the node's containers again (after a prune made through the manager). */
  void resync(Node node) {
    NodeCache c = current(node);
    if (c == null) return;
    try {
      c.sync();
    } catch (RuntimeException | IOException e) {
      c.lost("resync failed: " + e.getMessage());
    }
  }

  private NodeCache current(Node node) {
    NodeCache c = byName.get(node.name());
    return c != null && c.synced && c.node.address().equals(node.address()) ? c : null;
  }

  /** Starts a stream for each newly ready node and stops those of nodes gone or down. */
  private void keep() {
    while (running) {
      try {
        List<Node> ready = readyNodes.get();
        Set<String> names = new HashSet<>();
        for (Node n : ready) {
          names.add(n.name());
          NodeCache c = byName.get(n.name());
          if (c == null || !c.node.address().equals(n.address())) {
            if (c != null) c.close();
            NodeCache fresh = new NodeCache(n);
            byName.put(n.name(), fresh);
            Thread.ofVirtual().name("container-cache-" + n.name()).start(fresh::run);
          }
        }
        byName.values().removeIf(c -> {
          if (names.contains(c.node.name())) return false;
          c.close();
          return true;
        });
        int inStep = (int) byName.values().stream().filter(c -> c.synced).count();
        boolean all = !ready.isEmpty() && inStep == ready.size();
        if (all && !allInStep) log.info("container-cache-in-step nodes={}", inStep); // every ready node listed and followed
        allInStep = all;
      } catch (RuntimeException e) {
        log.warn("container-cache-keep-failed: {}", e.getMessage());
      }
      LockSupport.parkNanos(KEEP_EVERY.toNanos());
    }
  }

  @Override
  public void close() {
    running = false;
    keeper.interrupt();
    byName.values().forEach(NodeCache::close);
    byName.clear();
  }

  /** One node's containers and images, and the event stream that keeps them. */
  private final class NodeCache {
    final Node node;
    final Map<String, Entry> containers = new ConcurrentHashMap<>();
    volatile JsonNode images = JSON.createArrayNode();
    /** Bumped after every change of containers or images, so a reader can tell whether what it built from them is current. */
    final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    volatile boolean synced;
    volatile boolean closed;
    volatile Socket stream;
    /** Reads of the node and the writes they cause go one at a time, so an older read never overwrites a newer one. */
    final ReentrantLock lock = new ReentrantLock();

    NodeCache(Node node) {
      this.node = node;
    }

    void run() {
      long backoff = 250;
      while (!closed && running) {
        try (Socket s = link.open(node)) {
          stream = s;
          s.getOutputStream().write(("GET " + EVENTS + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
          InputStream in = new BufferedInputStream(s.getInputStream());
          HttpMessage head = HttpMessage.read(in);
          if (head == null || head.status() != 200) throw new IOException("events answered " + (head == null ? "nothing" : head.status()));
          listings.acquireUninterruptibly();
          try {
            sync();
          } finally {
            listings.release();
          }
          synced = true;
          backoff = 250;
          log.debug("container-cache-synced node={} containers={}", node.name(), containers.size());
          InputStream body = head.isChunked() ? new ChunkedInput(in) : in;
          try (MappingIterator<JsonNode> events = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (events.hasNextValue()) onEvent(events.nextValue());
          }
          lost("the event stream ended");
        } catch (IOException | RuntimeException e) {
          lost(e.getMessage());
        }
        if (closed || !running) return;
        LockSupport.parkNanos(Duration.ofMillis(backoff).toNanos());
        backoff = Math.min(backoff * 2, 5_000);
      }
    }

    void lost(String why) {
      if (synced && !closed) log.info("container-cache-lost node={}: {}", node.name(), why);
      synced = false;
      Socket s = stream;
      if (s != null) {
        try {
          s.close(); // the run loop reconnects and lists everything again
        } catch (IOException e) {
          // closing anyway
        }
      }
    }

    void close() {
      closed = true;
      lost("closed");
    }

    private void onEvent(JsonNode e) throws IOException {
      String type = e.path("Type").asText("container");
      String action = e.path("Action").asText(e.path("status").asText(""));
      if (type.equals("image")) {
        refreshImages();
      } else if (type.equals("container") && !QUIET.contains(action) && !action.startsWith("exec_")) {
        String id = e.path("Actor").path("ID").asText(e.path("id").asText(""));
        if (action.equals("destroy")) forget(id);
        else if (!id.isEmpty()) refresh(id);
      }
    }

    /** Lists every container and image of the node and replaces what was kept. */
    void sync() throws IOException {
      lock.lock();
      try {
        Set<String> seen = new HashSet<>();
        for (JsonNode c : get(V + "/containers/json?all=1")) {
          String id = c.path("Id").asText();
          seen.add(id);
          Optional<ContainerStatus> status = inspect(id);
          if (status.isPresent()) containers.put(id, new Entry((ObjectNode) c, status.get()));
        }
        containers.keySet().retainAll(seen);
        images = get(V + "/images/json");
        version.incrementAndGet();
      } finally {
        lock.unlock();
      }
    }

    void refresh(String id) throws IOException {
      lock.lock();
      try {
        ObjectNode found = null;
        for (JsonNode c : get(V + "/containers/json?all=1&filters=" + enc("{\"id\":[\"" + id + "\"]}"))) {
          if (c.path("Id").asText().equals(id)) found = (ObjectNode) c;
        }
        Optional<ContainerStatus> status = found == null ? Optional.empty() : inspect(id);
        if (status.isPresent()) containers.put(id, new Entry(found, status.get()));
        else containers.remove(id);
        version.incrementAndGet();
      } finally {
        lock.unlock();
      }
    }

    /** Under the lock: a refresh that read the container just before it went must not put it back after. */
    void forget(String id) {
      lock.lock();
      try {
        containers.remove(id);
        version.incrementAndGet();
      } finally {
        lock.unlock();
      }
    }

    void refreshImages() throws IOException {
      lock.lock();
      try {
        images = get(V + "/images/json");
        version.incrementAndGet();
      } finally {
        lock.unlock();
      }
    }

    private Optional<ContainerStatus> inspect(String id) throws IOException {
      NodeLink.Response r = link.call(node, "GET", V + "/containers/" + id + "/json", null);
      if (r.status() == 404) return Optional.empty();
      if (r.status() != 200) throw new IOException("inspect " + id + " answered " + r.status());
      return Optional.of(ContainerStatus.of(JSON.readTree(r.body())));
    }

    private JsonNode get(String target) throws IOException {
      NodeLink.Response r = link.call(node, "GET", target, null);
      if (r.status() != 200) throw new IOException(target + " answered " + r.status());
      JsonNode j = JSON.readTree(r.body());
      return j instanceof ArrayNode ? j : JSON.createArrayNode();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
