package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.engine.DockerJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InstanceLogs} from the fleet: each target's container is found on its
 * node by the {@code io.berth.instance-guid} label the agents put on it (in the container cache,
 * else asked of the node), and its log read from the node's engine over {@link NodeLink}, one
 * virtual thread per target.
 *
 * <p>Invariants: a line reaches the client whole and flushed, one writer at a time; the first
 * write that fails means the client has gone, and then every upstream socket is closed, so no
 * reader outlives the call. {@link #stream} rethrows that write's {@link IOException} once every
 * reader has ended. Nothing else escapes: a target that cannot be read gets one line saying why.
 */
final class InstanceLogReader implements InstanceLogs {
  private static final Logger log = LoggerFactory.getLogger(InstanceLogReader.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final String V = EngineHttp.V;
  /** What {@code berth-agent}'s ContainerPlan labels an instance's container with. */
  static final String INSTANCE_LABEL = "io.berth.instance-guid";
  private final ClusterView cluster;
  private final NodeLink link;

  InstanceLogReader(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  @Override
  public void stream(List<Target> targets, boolean follow, int tail, OutputStream out) throws IOException {
    Client client = new Client(out);
    List<Thread> readers = new ArrayList<>();
    for (Target t : targets) {
      readers.add(Thread.ofVirtual().name("instance-logs-" + t.prefix()).start(() -> read(t, follow, tail, client)));
    }
    try {
      for (Thread r : readers) r.join();
    } catch (InterruptedException e) {
      client.gone(new InterruptedIOException("interrupted while reading instance logs")); // closes every upstream: the readers end
      Thread.currentThread().interrupt();
    }
    IOException failure = client.failure.get();
    if (failure != null) throw failure;
  }

  /** One target, start to end; never throws. */
  private void read(Target t, boolean follow, int tail, Client client) {
    String where = "instance " + t.instanceGuid() + " on " + t.node();
    try {
      if (t.node() == null || t.node().isEmpty()) {
        client.note(t, "instance " + t.instanceGuid() + " is on no node yet");
        return;
      }
      Optional<Node> node = cluster.nodesIncludingDown().stream().filter(n -> n.name().value().equals(t.node())).findFirst();
      if (node.isPresent() && node.get().state() != NodeState.READY) {
        client.note(t, "node " + t.node() + " is " + node.get().state() + ": cannot read the log of instance " + t.instanceGuid());
        return;
      }
      Optional<String> id = node.isEmpty() ? Optional.empty() : container(node.get(), t.instanceGuid());
      if (id.isEmpty()) {
        client.note(t, "no container for " + where + " yet");
        return;
      }
      logs(t, node.get(), id.get(), follow, tail, client);
    } catch (BerthException e) {
      client.note(t, "cannot read the log of " + where + ": " + e.getMessage());
    } catch (IOException e) {
      if (client.failure.get() == null) client.note(t, "lost the log of " + where + ": " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("instance-logs-failed prefix={} instance={} node={}", t.prefix(), t.instanceGuid(), t.node(), e);
      client.note(t, "cannot read the log of " + where + ": " + e);
    }
  }

  /** The instance's container on the node, the newest if several carry its guid. */
  private Optional<String> container(Node node, String guid) {
    Optional<String> cached = cluster.cache().containers(node).flatMap(entries -> newest(entries, guid));
    if (cached.isPresent()) return cached;
    // The cache is not in step with the node, or a container just made has not reached it yet: ask the node.
    String filters = URLEncoder.encode(JSON.createObjectNode().set("label", JSON.createArrayNode().add(INSTANCE_LABEL + "=" + guid)).toString(),
        StandardCharsets.UTF_8);
    NodeLink.Response r = link.call(node, "GET", V + "/containers/json?all=1&filters=" + filters, null);
    if (r.status() != 200) throw new BerthException.Unavailable("node " + node.name() + " answered " + r.status() + " to the container listing");
    List<ContainerCache.Entry> listed = new ArrayList<>();
    try {
      for (JsonNode c : JSON.readTree(r.body())) listed.add(new ContainerCache.Entry((ObjectNode) c, null));
    } catch (IOException | ClassCastException e) {
      throw new BerthException.Unavailable("node " + node.name() + " sent an unreadable container listing");
    }
    return newest(listed, guid);
  }

  private static Optional<String> newest(List<ContainerCache.Entry> entries, String guid) {
    return entries.stream().filter(e -> guid.equals(e.summary().path("Labels").path(INSTANCE_LABEL).asText(null)))
        .max(Comparator.comparingLong(ContainerCache.Entry::createdNanos)).map(ContainerCache.Entry::id);
  }

  /** Opens the container's log on its node's engine and passes its lines on until it ends or the client goes. */
  private void logs(Target t, Node node, String id, boolean follow, int tail, Client client) throws IOException {
    NodeLink.Response inspected = link.call(node, "GET", V + "/containers/" + id + "/json", null);
    boolean tty = inspected.status() == 200 && JSON.readTree(inspected.body()).path("Config").path("Tty").asBoolean(false);
    Socket s = link.open(node);
    if (!client.hold(s)) return;
    try {
      s.setSoTimeout(follow ? 0 : 60_000); // a follow waits for lines as long as the client does
      String target = V + "/containers/" + id + "/logs?stdout=1&stderr=1&follow=" + (follow ? 1 : 0) + "&tail=" + (tail < 0 ? "all" : tail);
      EngineHttp.get(s, target);
      InputStream in = new BufferedInputStream(s.getInputStream());
      HttpMessage head = EngineHttp.head(in);
      InputStream body = EngineHttp.body(head, in);
      if (head.status() != 200) {
        client.note(t, "the engine on " + node.name() + " answered " + head.status() + " for the log of instance " + t.instanceGuid()
            + ": " + message(body.readNBytes(4096)));
        return;
      }
      // An engine at API 1.42 or later names the multiplexed stream; before, only the container's TTY tells.
      String type = head.header("Content-Type");
      boolean multiplexed = !tty || (type != null && type.contains("multiplexed-stream"));
      byte[] prefix = ("[" + t.prefix() + "] ").getBytes(StandardCharsets.UTF_8);
      LogLines.read(body, multiplexed, (text, length) -> client.line(prefix, text, length));
    } finally {
      client.release(s);
    }
  }

  /** The engine's {@code {"message": ...}}, or the body as text. */
  private static String message(byte[] body) {
    try {
      String m = JSON.readTree(body).path("message").asText("");
      if (!m.isEmpty()) return m;
    } catch (IOException e) {
      // not JSON
    }
    return new String(body, StandardCharsets.UTF_8).strip();
  }

  /** The client's stream and the upstream sockets that feed it. */
  private static final class Client {
    private final OutputStream out;
    private final ReentrantLock writing = new ReentrantLock();
    private final Set<Socket> upstreams = ConcurrentHashMap.newKeySet();
    /** The write that failed: the client has gone. */
    final AtomicReference<IOException> failure = new AtomicReference<>();

    Client(OutputStream out) {
      this.out = out;
    }

    /** Writes {@code [prefix] text\n} and flushes; false when the client has gone. */
    boolean line(byte[] prefix, byte[] text, int length) {
      byte[] whole = new byte[prefix.length + length + 1];
      System.arraycopy(prefix, 0, whole, 0, prefix.length);
      System.arraycopy(text, 0, whole, prefix.length, length);
      whole[whole.length - 1] = '\n';
      writing.lock();
      try {
        if (failure.get() != null) return false;
        out.write(whole);
        out.flush();
        return true;
      } catch (IOException e) {
        gone(e);
        return false;
      } finally {
        writing.unlock();
      }
    }

    /** One line about a target, in parentheses: why it has no log to show. */
    void note(Target t, String why) {
      byte[] prefix = ("[" + t.prefix() + "] ").getBytes(StandardCharsets.UTF_8);
      byte[] text = ("(" + why + ")").getBytes(StandardCharsets.UTF_8);
      line(prefix, text, text.length);
    }

    void gone(IOException e) {
      failure.compareAndSet(null, e);
      upstreams.forEach(Client::close);
    }

    /** Keeps an upstream to close when the client goes; false (and closed) when it has gone already. */
    boolean hold(Socket s) {
      upstreams.add(s);
      if (failure.get() == null) return true; // set before this check, gone() closes s after it: never neither
      release(s);
      return false;
    }

    void release(Socket s) {
      upstreams.remove(s);
      close(s);
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
