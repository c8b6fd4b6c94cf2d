package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every ready node's containers and images, kept in memory as classic Swarm kept them: per node,
 * one long-lived {@code GET /events} stream (opened first, so nothing is missed), then a full
 * listing, then each container event refreshes that one container. {@code docker ps}, lookups,
 * {@code info} and scheduling read from here instead of asking every node.
 *
 * <p>Writes made through the manager refresh the container they touched, before answering ({@link #refresh})
 * or while the answer goes out, readers waiting for it ({@link #refreshSoon}), so a client reads its own
 * writes; the event stream brings in everything
 * else (a crash, a restart policy, someone using the engine directly). A node whose stream is
 * down is "not synced" and its readers ask the node directly, as before the cache.
 */
public final class ContainerCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContainerCache.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Duration KEEP_EVERY = Duration.ofMillis(500);
  /** How often the keeper also closes the node connections idle too long to be used again. */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  /** How long a reader waits for the refreshes writes started before it asks the node itself. */
  private static final Duration SETTLE = Duration.ofSeconds(5);
  /**
   * How long a write's read-back waits for the event the write caused: the engine sends it before its answer, and
   * it comes in on the node's stream about when the answer does.
   */
  static final Duration WRITE_EVENT = Duration.ofMillis(5);
  /** Full listings run this many nodes at a time, so a manager starting beside thousands of nodes is not flooded. */
  private final Semaphore listings = new Semaphore(32);
  private final NodeLink link;
  private final Supplier<List<Node>> readyNodes;
  private final Map<NodeName, NodeCache> byName = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private final Thread keeper;
  private boolean allInStep;

  /** One cached container: its listing entry (as the engine wrote it) and what its status is made from. */
  public record Entry(ObjectNode summary, ContainerStatus status) {
    public String id() {
      return summary.path("Id").asText();
    }

    /** Creation time in nanoseconds: exact from the cache, to the second when read from a listing. */
    public long createdNanos() {
      if (status != null) return status.created().getEpochSecond() * 1_000_000_000L + status.created().getNano();
      return summary.path("Created").asLong() * 1_000_000_000L;
    }

    /** The State word: from the kept status, or as the node listed it. */
    public String state() {
      return status != null ? status.word() : summary.path("State").asText();
    }

    /** A copy of the listing entry, its State and Status as the engine would write them at {@code now}. */
    public ObjectNode listing(Instant now) {
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
  public Optional<List<Entry>> containers(Node node) {
    NodeCache c = current(node);
    return c == null ? Optional.empty() : Optional.of(List.copyOf(c.containers.values()));
  }

  /** Whether the node's cache is in step and holds the container, or saw it destroyed: nothing of it is left to read. */
  public boolean knows(Node node, String id) {
    NodeCache c = current(node);
    return c != null && (c.containers.containsKey(id) || c.gone.contains(id));
  }

  /** The node's containers with the version they are at, or empty when not in step. */
  Optional<Held> held(Node node) {
    NodeCache c = current(node);
    if (c == null) return Optional.empty();
    long version = c.version.get(); // read first: a change while copying makes the copy newer than its version, never older
    // While its images change, a view built from them must not be kept: -1 is "read afresh, do not keep".
    return Optional.of(new Held(List.copyOf(c.containers.values()), c.imageWrites.get() > 0 ? -1 : version));
  }

  /** A node's containers as kept, and a number that changes whenever they or its images do. */
  record Held(List<Entry> entries, long version) {}

  /** The node's images as {@code /images/json} lists them, or empty when not in step or while they change through the manager. */
  Optional<JsonNode> images(Node node) {
    NodeCache c = current(node);
    return c == null || c.imageWrites.get() > 0 ? Optional.empty() : Optional.of(c.images);
  }

  /** The node's networks as {@code /networks} lists them, or empty when not in step. */
  Optional<JsonNode> networks(Node node) {
    NodeCache c = current(node);
    return c == null ? Optional.empty() : Optional.of(c.networks);
  }

  /**
   * Marks the node's images as changing through the manager (a commit, build, pull, load, import or push)
   * until the returned action runs. Meanwhile readers, the scheduler among them, ask the node itself: a
   * client that sees the answer's end and runs {@code affinity:image==NEW} next finds the new image, even
   * before the relay has ended here. The action reads the images again, then lifts the mark; it runs once.
   */
  public Runnable imagesChanging(Node node) {
    NodeCache c = current(node);
    if (c == null) return () -> {}; // not in step: readers ask the node anyway
    c.imageWrites.incrementAndGet();
    c.version.incrementAndGet();
    AtomicBoolean ended = new AtomicBoolean();
    return () -> {
      if (!ended.compareAndSet(false, true)) return;
      try {
        refreshImages(node);
      } finally {
        c.imageWrites.decrementAndGet();
      }
    };
  }

  /**
   * Waits until the node's cache has read a container another manager created, known here only by its id: a read
   * under way counts, as it began after the container was created; one not begun is brought forward.
   */
  public void learn(Node node, String id) {
    NodeCache c = inStep(node);
    if (c != null && !c.gone.contains(id)) c.refreshes.learn(id);
  }

  /** Reads one container again from its node (after a write made through the manager). */
  public void refresh(Node node, String id) {
    reread(node, "refresh of " + id, c -> c.refresh(id));
  }

  /**
   * Reads one container again after a write made through the manager, while the write's answer goes out:
   * the read runs meanwhile, and every reader of the node's cache waits for it first, so the client's next
   * {@code ps}, {@code inspect} or {@code start} still sees the write, and the answer does not wait for it.
   * The read waits {@link #WRITE_EVENT} for the event the write caused, so both are one read.
   */
  public void refreshSoon(Node node, String id, Map<String, String> labels) {
    NodeCache c = inStep(node);
    if (c != null) c.refreshSoon(id, labels, WRITE_EVENT.toNanos());
  }

  /** {@link #refreshSoon} for a container this manager has just created: its create event needs no read of its own. */
  public void created(Node node, String id, Map<String, String> labels) {
    NodeCache c = inStep(node);
    if (c != null) c.created(id, labels);
  }

  /**
   * The labels of a container whose read-back {@link #refreshSoon} runs: the client's next request names it by
   * its id (docker run's {@code wait} and {@code start}) and is sent on without waiting for the read.
   */
  public Optional<Map<String, String>> arriving(Node node, String id) {
    NodeCache c = inStep(node);
    return c == null ? Optional.empty() : Optional.ofNullable(c.arriving.get(id));
  }

  /** Reads the node's images again (after a load, pull, tag, rmi or commit made through the manager). */
  public void refreshImages(Node node) {
    reread(node, "image refresh", NodeCache::refreshImages);
  }

  /** Reads the node's networks again (after a network create or remove made through the manager), so the next placement sees it. */
  public void refreshNetworks(Node node) {
    reread(node, "network refresh", NodeCache::refreshNetworks);
  }

  /** Lists the node's containers again (after a prune made through the manager). */
  public void resync(Node node) {
    reread(node, "resync", NodeCache::sync);
  }

  /** A read of a node in step; one that fails puts the node out of step, and its stream starts over. */
  private void reread(Node node, String what, Read read) {
    NodeCache c = current(node);
    if (c == null) return;
    try {
      read.from(c);
    } catch (RuntimeException | IOException e) {
      c.lost(what + " failed: " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Read {
    void from(NodeCache c) throws IOException;
  }

  /**
   * The node's cache for a reader: in step, and with every read a write started ({@link #refreshSoon}) done.
   * One that takes longer than {@link #SETTLE} leaves the reader to ask the node itself, as when not in step.
   */
  private NodeCache current(Node node) {
    NodeCache c = inStep(node);
    return c != null && c.settled(SETTLE) && c.synced ? c : null;
  }

  private NodeCache inStep(Node node) {
    NodeCache c = byName.get(node.name());
    return c != null && c.synced && c.node.address().equals(node.address()) ? c : null;
  }

  /** Starts a stream for each newly ready node and stops those of nodes gone or down. */
  private void keep() {
    long swept = System.nanoTime();
    while (running) {
      try {
        if (System.nanoTime() - swept >= SWEEP_EVERY.toNanos()) {
          link.sweepIdle();
          swept = System.nanoTime();
        }
        List<Node> ready = readyNodes.get();
        Set<NodeName> names = new HashSet<>();
        for (Node n : ready) {
          names.add(n.name());
          NodeCache c = byName.get(n.name());
          if (c == null || !c.node.address().equals(n.address())) {
            if (c != null) c.close();
            NodeCache fresh = new NodeCache(n, link, listings, () -> running);
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

}
