package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's containers, images and networks in the {@link ContainerCache}, and the event stream that keeps
 * them: the stream is opened first, then everything listed, then each event refreshes what it names.
 */
final class NodeCache {
  private static final Logger log = LoggerFactory.getLogger(ContainerCache.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final String V = EngineHttp.V;
  /**
   * How long an event's read waits for others of the same container to join it: a write's read-back and the event the
   * write caused, or a stop's kill, die and stop events, a few milliseconds apart, become one read. Short, since a
   * change made behind the manager's back is not seen until read.
   */
  static final long EVENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final String EVENTS = V + "/events?filters=" + enc("{\"type\":[\"container\",\"image\",\"network\"]}");
  /** Container events that change nothing a listing shows. */
  private static final Set<String> QUIET = Set.of("attach", "detach", "resize", "top", "export", "copy", "archive-path",
      "extract-to-dir", "commit", "exec_create", "exec_start", "exec_die", "exec_detach");
  private final NodeLink link;
  private final NodeReads reads;
  /** Shared by every node: full listings run this many at a time. */
  private final Semaphore listings;
  /** False once the whole cache closes. */
  private final BooleanSupplier running;
  final Node node;
  final Map<String, ContainerCache.Entry> containers = new ConcurrentHashMap<>();
  final RecentIds gone = new RecentIds();
  /** Containers this manager created and reads back: their create event, sent before the answer, needs no read of its own. */
  private final RecentIds created = new RecentIds();
  /** The container reads asked for and not begun: a request joins one of the same container not begun yet. */
  final Refreshes refreshes = new Refreshes(this::read, e -> lost("container read failed: " + e.getMessage()));
  volatile JsonNode images = JSON.createArrayNode();
  /** The node's networks as {@code /networks} lists them: the scheduler places a container on its local network's node. */
  volatile JsonNode networks = JSON.createArrayNode();
  /** Bumped after every change of containers, images or networks, so a reader can tell whether what it built from them is current. */
  final AtomicLong version = new AtomicLong();
  volatile boolean synced;
  /** Image changes made through the manager and not finished yet: while any runs, readers ask the node for its images. */
  final AtomicInteger imageWrites = new AtomicInteger();
  volatile boolean closed;
  volatile Socket stream;
  /** Reads of the node and the writes they cause go one at a time, so an older read never overwrites a newer one. */
  final ReentrantLock lock = new ReentrantLock();
  /** The containers those refreshes read, with their labels: a lookup by id finds them before the read is done. */
  final Map<String, Map<String, String>> arriving = new ConcurrentHashMap<>();

  NodeCache(Node node, NodeLink link, Semaphore listings, BooleanSupplier running) {
    this.node = node;
    this.link = link;
    this.reads = new NodeReads(link, node);
    this.listings = listings;
    this.running = running;
  }

  void run() {
    long backoff = 250;
    while (!closed && running.getAsBoolean()) {
      try (Socket s = link.open(node)) {
        stream = s;
        EngineHttp.get(s, EVENTS);
        InputStream in = EventStreams.buffered(s.getInputStream());
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
        InputStream body = EngineHttp.body(head, in);
        try (MappingIterator<JsonNode> events = EventStreams.events(body)) {
          while (events.hasNextValue()) onEvent(events.nextValue());
        }
        lost("the event stream ended");
      } catch (IOException | RuntimeException e) {
        lost(e.getMessage());
      }
      if (closed || !running.getAsBoolean()) return;
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
    refreshes.close();
    lost("closed");
  }

  private void onEvent(JsonNode e) throws IOException {
    String type = e.path("Type").asText("container");
    String action = e.path("Action").asText(e.path("status").asText(""));
    if (type.equals("image")) {
      refreshImages();
    } else if (type.equals("network")) {
      // connect and disconnect change no listing; a network made or removed behind the manager's back does.
      if (action.equals("create") || action.equals("destroy") || action.equals("remove")) refreshNetworks();
    } else if (type.equals("container") && !QUIET.contains(action) && !action.startsWith("exec_")) {
      String id = e.path("Actor").path("ID").asText(e.path("id").asText(""));
      if (action.equals("destroy")) forget(id);
      else if (!id.isEmpty() && !(action.equals("create") && created.take(id))) refreshes.request(id, EVENT_WAIT_NANOS);
    }
  }

  /** Lists every container and image of the node and replaces what was kept. */
  void sync() throws IOException {
    lock.lock();
    try {
      Set<String> seen = new HashSet<>();
      for (JsonNode c : reads.containers()) {
        String id = c.path("Id").asText();
        seen.add(id);
        Optional<ContainerStatus> status = reads.inspect(id);
        if (status.isPresent()) containers.put(id, new ContainerCache.Entry((ObjectNode) c, status.get()));
      }
      containers.keySet().retainAll(seen);
      images = reads.images();
      networks = reads.networks();
      version.incrementAndGet();
    } finally {
      lock.unlock();
    }
  }

  /** Reads the container again and waits for it: a read not begun yet is brought forward and joined, one under way is not. */
  void refresh(String id) {
    refreshes.request(id, 0).join();
  }

  /**
   * Reads the containers from the node into the cache, holding the lock. One listing filtered on their ids and an
   * inspect of each go out together, on connections of their own: the wait of one call, not of several.
   */
  private void read(List<String> ids) throws IOException {
    lock.lock();
    try {
      Map<String, FutureTask<Optional<ContainerStatus>>> inspected = new LinkedHashMap<>();
      for (String id : ids) {
        FutureTask<Optional<ContainerStatus>> task = new FutureTask<>(() -> reads.inspect(id));
        inspected.put(id, task);
        Thread.ofVirtual().name("container-cache-inspect").start(task);
      }
      Map<String, ObjectNode> found = new HashMap<>();
      for (JsonNode c : reads.containers(ids)) {
        found.put(c.path("Id").asText(), (ObjectNode) c);
      }
      for (Map.Entry<String, FutureTask<Optional<ContainerStatus>>> e : inspected.entrySet()) {
        String id = e.getKey();
        Optional<ContainerStatus> status = await(e.getValue());
        if (status.isPresent() && found.containsKey(id)) containers.put(id, new ContainerCache.Entry(found.get(id), status.get()));
        else containers.remove(id);
      }
      version.incrementAndGet();
    } finally {
      ids.forEach(arriving::remove); // found among the containers from now on, or gone; or, the read failing, the node out of step
      lock.unlock();
    }
  }

  /**
   * Reads one container again for a write whose answer goes out meanwhile: until the read is done, {@link #settled}
   * holds readers back, so the client's next request still reads its own write. The read waits {@code waitNanos}
   * for the event the write caused to join it.
   */
  void refreshSoon(String id, Map<String, String> labels, long waitNanos) {
    arriving.put(id, labels);
    refreshes.readBack(id, waitNanos);
  }

  /**
   * {@link #refreshSoon} for a container this manager has just created: the read begins at once, and the container's
   * create event is not read again, since the engine sends it before its answer, so the read sees all it says.
   */
  void created(String id, Map<String, String> labels) {
    arriving.put(id, labels);
    created.add(id);
    refreshes.readBack(id, 0);
  }

  /** Waits for the read-backs {@link #refreshSoon} asked for; false when they take longer than {@code timeout}. */
  boolean settled(Duration timeout) {
    return refreshes.settled(timeout);
  }

  private static <T> T await(FutureTask<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IOException(e.getCause());
    }
  }

  /** Under the lock: a refresh that read the container just before it went must not put it back after. */
  void forget(String id) {
    lock.lock();
    try {
      containers.remove(id);
      gone.add(id);
      version.incrementAndGet();
    } finally {
      lock.unlock();
    }
  }

  void refreshImages() throws IOException {
    lock.lock();
    try {
      images = reads.images();
      version.incrementAndGet();
    } finally {
      lock.unlock();
    }
  }

  void refreshNetworks() throws IOException {
    lock.lock();
    try {
      networks = reads.networks();
      version.incrementAndGet();
    } finally {
      lock.unlock();
    }
  }

  private static String enc(String s) {
    return NodeReads.enc(s);
  }
}
