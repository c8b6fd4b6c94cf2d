package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cluster.wire.Registration;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.engine.DockerJson;
import io.berth.manager.node.NodeRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engines without agents, as Swarm's {@code nodes://} and {@code file://} discovery found them:
 * {@code --discovery nodes://10.0.0.[1:3]:2375,10.0.0.9:2375} or {@code file:///etc/berth/engines}
 * (one entry per line, ranges allowed, {@code #} comments; the file is read again on every
 * round, so editing it adds and removes engines). Every heartbeat the manager asks each engine
 * for {@code /info}; one that answers is registered as a node reached directly (see
 * {@link NodeAccess#ENGINE}) and its lease renewed, one that stops answering goes {@code down}
 * when its lease expires, exactly as a node whose agent stopped. A node is named after its
 * engine's host name; engines sharing one get {@code -2}, {@code -3}… in the order listed.
 */
public final class EngineDiscovery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineDiscovery.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Pattern RANGE = Pattern.compile("\\[(\\d+):(\\d+)]");
  private static final int MAX_ENGINES = 10_000;
  private final String spec;
  private final NodeRegistry registry;
  private final SSLContext tls;
  private final Duration every;
  /** Names given, by engine address; kept for the manager's life so a name never moves. */
  private final Map<String, NodeName> names = new ConcurrentHashMap<>();
  /** What each engine said last, by address, to register again only when something changed. */
  private final Map<String, Registration> registered = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile Thread loop;
  private List<String> lastList = List.of();

  /**
   * @param tls when not null, engines are reached over TLS with this context (its certificate
   *     presented, its CA trusted), as {@code swarm manage --tlsverify} reached them
   */
  public EngineDiscovery(String spec, NodeRegistry registry, SSLContext tls, Duration every) {
    addresses(spec); // a malformed spec fails at start, in one sentence
    this.spec = spec;
    this.registry = registry;
    this.tls = tls;
    this.every = every;
  }

  public void start() {
    loop = Thread.ofVirtual().name("engine-discovery").start(() -> {
      while (running) {
        try {
          round();
        } catch (RuntimeException e) {
          log.warn("engine-discovery-round-failed: {}", e.getMessage());
        }
        LockSupport.parkNanos(every.toNanos());
      }
    });
  }

  /** One round: read the list, ask every engine, register or renew those that answered. */
  void round() {
    List<String> list;
    try {
      list = addresses(spec);
      lastList = list;
    } catch (IllegalArgumentException e) {
      log.warn("engine-discovery-list-unreadable: {}; keeping the last list of {} engines", e.getMessage(), lastList.size());
      list = lastList;
    }
    Map<String, Future<Optional<Probe>>> asked = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String address : list) asked.put(address, pool.submit(() -> probe(address)));
    }
    for (var e : asked.entrySet()) {
      Optional<Probe> p;
      try {
        p = e.getValue().get();
      } catch (Exception x) {
        p = Optional.empty();
      }
      if (p.isEmpty()) continue;
      String address = e.getKey();
      Probe found = p.get();
      NodeName name = names.computeIfAbsent(address, a -> nameFor(a, found.hostName()));
      renewOrRegister(name, address, found.registration());
    }
  }

  private void renewOrRegister(NodeName name, String address, Registration r) {
    Optional<Node> known = registry.find(name);
    boolean same = r.equals(registered.get(address)) && known.isPresent() && known.get().address().equals(address);
    if (same) {
      try {
        registry.heartbeat(name);
        return;
      } catch (BerthException.NotFound gone) {
        // the record went (a wiped store): register again
      }
    }
    registry.register(name, engineId(address), r, NodeAccess.ENGINE);
    registered.put(address, r);
  }

  private String engineId(String address) {
    return "engine:" + address;
  }

  /** The engine's host name, made a node name, unless another address already has it. */
  private NodeName nameFor(String address, String hostName) {
    for (Node n : registry.list()) {
      if (n.access() == NodeAccess.ENGINE && n.address().equals(address)) return n.name(); // from before a restart
    }
    String base = dnsLabel(hostName);
    Set<NodeName> taken = new HashSet<>(names.values());
    for (Node n : registry.list()) if (!n.address().equals(address)) taken.add(n.name());
    NodeName name = NodeName.of(base);
    for (int i = 2; taken.contains(name); i++) name = NodeName.of(base + "-" + i);
    return name;
  }

  /** What an engine says of itself. */
  private record Probe(Registration registration, String hostName) {}

  /** Asks one engine who it is; empty when it does not answer as a Docker engine. */
  private Optional<Probe> probe(String address) {
    try {
      JsonNode info = get(address, "/info");
      JsonNode version = get(address, "/version");
      EngineFacts facts = new EngineFacts(info.path("ServerVersion").asText(""), version.path("ApiVersion").asText(""),
          info.path("OperatingSystem").asText(""), info.path("KernelVersion").asText(""), info.path("Driver").asText(""),
          info.path("Architecture").asText(""), Math.max(0, info.path("NCPU").asInt()), Math.max(0, info.path("MemTotal").asLong()));
      Map<String, String> labels = new HashMap<>();
      for (JsonNode l : info.path("Labels")) {
        String kv = l.asText();
        int eq = kv.indexOf('=');
        if (eq > 0) labels.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return Optional.of(new Probe(new Registration(address, facts, labels), info.path("Name").asText("engine")));
    } catch (IOException | RuntimeException e) {
      log.debug("engine-discovery-no-answer address={}: {}", address, e.getMessage());
      return Optional.empty();
    }
  }

  private JsonNode get(String address, String path) throws IOException {
    int colon = address.lastIndexOf(':');
    try (Socket s = tls == null ? new Socket() : tls.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 3000);
      s.setSoTimeout(5000);
      if (s instanceof SSLSocket ssl) ssl.startHandshake();
      EngineHttp.get(s, EngineHttp.V + path);
      InputStream in = new BufferedInputStream(s.getInputStream());
      HttpMessage head = HttpMessage.read(in);
      if (head == null || head.status() != 200) throw new IOException(path + " answered " + (head == null ? "nothing" : head.status()));
      return JSON.readTree(EngineHttp.readBody(head, in, 4 << 20));
    }
  }

  /** A host name as a node name: its first label, lower case, letters, digits and dashes. */
  static String dnsLabel(String host) {
    String first = host.split("\\.")[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (first.isEmpty()) return "engine";
    return first.length() > 50 ? first.substring(0, 50) : first;
  }

  /** The engine addresses a spec names, ranges expanded, in order, each once. */
  public static List<String> addresses(String spec) {
    int sep = spec.indexOf("://");
    String scheme = sep < 0 ? "" : spec.substring(0, sep); // not a java.net.URI: ranges like [1:3] are not URI syntax
    List<String> entries = new ArrayList<>();
    switch (scheme) {
      case "nodes" -> entries.addAll(List.of(spec.substring("nodes://".length()).split(",")));
      case "file" -> {
        Path file = Path.of(spec.substring("file://".length()));
        try {
          for (String line : Files.readAllLines(file)) {
            String l = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String part : l.strip().split("[,\\s]+")) if (!part.isBlank()) entries.add(part);
          }
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read the engine list " + file + ": " + e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException("--discovery must be nodes://HOST:PORT[,…] or file:///PATH, not '" + spec + "'");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String entry : entries) {
      if (entry.isBlank()) continue;
      for (String address : expand(entry.strip())) {
        out.add(address);
        if (out.size() > MAX_ENGINES) throw new IllegalArgumentException("--discovery names more than " + MAX_ENGINES + " engines");
      }
    }
    if (scheme.equals("nodes") && out.isEmpty()) throw new IllegalArgumentException("--discovery nodes:// names no engine");
    return List.copyOf(out);
  }

  /** {@code 10.0.0.[1:3]:2375} → three addresses; a port is required. */
  static List<String> expand(String entry) {
    Matcher m = RANGE.matcher(entry);
    List<String> out = new ArrayList<>();
    if (!m.find()) {
      out.add(checked(entry));
      return out;
    }
    int from = Integer.parseInt(m.group(1));
    int to = Integer.parseInt(m.group(2));
    if (to < from || to - from >= MAX_ENGINES) throw new IllegalArgumentException("bad range [" + from + ":" + to + "] in '" + entry + "'");
    for (int i = from; i <= to; i++) out.addAll(expand(entry.substring(0, m.start()) + i + entry.substring(m.end())));
    return out;
  }

  private static String checked(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) throw new IllegalArgumentException("engine address '" + address + "' needs HOST:PORT");
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port < 1 || port > 65535) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("engine address '" + address + "' has no valid port");
    }
    return address;
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) loop.interrupt();
  }
}
