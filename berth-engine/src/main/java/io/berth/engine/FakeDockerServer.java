package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker Engine API v1.41 over a {@link FakeEngine}, for hollow nodes ({@code berth sim}) and
 * tests: what a manager asks of a node's engine — ping, version, info, listing, create, start,
 * stop, kill, restart, wait, remove, inspect, images, networks ({@link FakeNetworks}) and the event stream — with the engine's
 * JSON shapes, statuses and messages. It has no processes: a container's log is what a test wrote
 * with {@link FakeEngine#log}, and attach, exec, archives and the rest answer 501 naming the route. One instance per engine; {@link #serve}
 * answers the requests of one connection in turn (keep-alive), on the caller's thread.
 */
public final class FakeDockerServer {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Pattern VERSIONED = Pattern.compile("^/v\\d+\\.\\d+(/.*)$");
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/]+)(?:/([a-z]+))?$");
  private static final Pattern IMAGE = Pattern.compile("^/images/(.+)/json$");
  private static final int MAX_BODY = 4 << 20;
  private final FakeEngine engine;
  private final FakeNetworks networks = new FakeNetworks();

  public FakeDockerServer(FakeEngine engine) {
    this.engine = engine;
  }

  /** Serves plain TCP connections on {@code addr}, one virtual thread each, for tests and people. */
  public static Listener listen(InetSocketAddress addr, FakeEngine engine) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(addr, 128);
    FakeDockerServer docker = new FakeDockerServer(engine);
    Thread.ofVirtual().name("fake-docker-accept").start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.setTcpNoDelay(true); // an answer's head and body go out in two writes: no delayed-ACK wait between them
          Thread.ofVirtual().name("fake-docker-conn").start(() -> {
            try (s) {
              docker.serve(s);
            } catch (IOException e) {
              // the client went away
            }
          });
        } catch (IOException e) {
          // closed
        }
      }
    });
    return new Listener(server);
  }

  /** A listening {@link FakeDockerServer}; closing stops accepting. */
  public record Listener(ServerSocket server) implements AutoCloseable {
    public int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Answers requests on one connection until the client closes it or asks to. */
  public void serve(Socket connection) throws IOException {
    InputStream in = new BufferedInputStream(connection.getInputStream());
    OutputStream out = connection.getOutputStream();
    while (true) {
      Request req = Request.read(in);
      if (req == null) return;
      try {
        if (!answer(req, in, out)) return;
      } catch (EngineException e) {
        send(out, e.status(), JSON.writeValueAsBytes(Map.of("message", e.getMessage())));
      } catch (BadRequest e) {
        send(out, 400, JSON.writeValueAsBytes(Map.of("message", e.getMessage())));
      }
      if ("close".equalsIgnoreCase(req.header("Connection"))) return;
    }
  }

  /** Answers one request; false when the connection was given to a stream and must close. */
  private boolean answer(Request req, InputStream in, OutputStream out) throws IOException {
    String path = req.path();
    Matcher v = VERSIONED.matcher(path);
    if (v.matches()) path = v.group(1);
    String route = req.method + " " + path;
    switch (route) {
      case "GET /_ping", "HEAD /_ping" -> {
        byte[] ok = req.method.equals("HEAD") ? new byte[0] : "OK".getBytes(StandardCharsets.US_ASCII);
        write(out, 200, "text/plain; charset=utf-8", ok, "API-Version: 1.41\r\n");
        return true;
      }
      case "GET /version" -> {
        EngineInfo i = engine.info();
        json(out, 200, Map.of("Version", i.serverVersion(), "ApiVersion", i.apiVersion(), "MinAPIVersion", "1.12", "Os", i.operatingSystem(),
            "Arch", i.architecture(), "KernelVersion", i.kernelVersion()));
        return true;
      }
      case "GET /info" -> {
        json(out, 200, info());
        return true;
      }
      case "GET /containers/json" -> {
        json(out, 200, list(req));
        return true;
      }
      case "POST /containers/create" -> {
        String id = engine.create(spec(req));
        json(out, 201, Map.of("Id", id, "Warnings", List.of()));
        return true;
      }
      case "GET /images/json" -> {
        ArrayNode a = JSON.createArrayNode();
        for (ImageSummary i : engine.listImages()) a.add(image(i));
        json(out, 200, a);
        return true;
      }
      case "GET /events" -> {
        events(req, in, out);
        return false;
      }
      default -> {
        FakeNetworks.Answer a = networks.answer(req.method, path, req.body);
        if (a == null) return container(req, path, in, out);
        if (a.body() == null) write(out, a.status(), "text/plain", new byte[0], "");
        else json(out, a.status(), a.body());
        return true;
      }
    }
  }

  private boolean container(Request req, String path, InputStream in, OutputStream out) throws IOException {
    Matcher im = IMAGE.matcher(path);
    if (req.method.equals("GET") && im.matches()) {
      String name = URLDecoder.decode(im.group(1), StandardCharsets.UTF_8);
      for (ImageSummary i : engine.listImages()) {
        if (i.id().equals(name) || i.repoTags().contains(name) || i.repoTags().contains(name + ":latest")) {
          json(out, 200, image(i));
          return true;
        }
      }
      throw new EngineException(404, "No such image: " + name);
    }
    Matcher m = CONTAINER.matcher(path);
    if (!m.matches()) throw new EngineException(501, "the hollow engine does not implement " + req.method + " " + path);
    String ref = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    String action = m.group(2) == null ? "" : m.group(2);
    String id = engine.inspect(ref).map(ContainerDetails::id).orElseThrow(() -> new EngineException(404, "No such container: " + ref));
    switch (req.method + " " + action) {
      case "GET json" -> json(out, 200, inspect(id));
      case "POST start" -> {
        boolean was = engine.inspect(id).map(ContainerDetails::running).orElse(false);
        engine.start(id);
        write(out, was ? 304 : 204, "text/plain", new byte[0], "");
      }
      case "POST stop", "POST kill" -> {
        engine.stop(id, 0);
        write(out, 204, "text/plain", new byte[0], "");
      }
      case "POST restart" -> {
        engine.stop(id, 0);
        engine.start(id);
        write(out, 204, "text/plain", new byte[0], "");
      }
      case "POST wait" -> {
        while (engine.inspect(id).map(ContainerDetails::running).orElse(false)) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        int code = engine.inspect(id).map(ContainerDetails::exitCode).orElse(0);
        json(out, 200, Map.of("StatusCode", code));
      }
      case "DELETE " -> {
        engine.remove(id, req.flag("force"));
        write(out, 204, "text/plain", new byte[0], "");
      }
      case "GET logs" -> {
        return logs(req, id, in, out);
      }
      default -> throw new EngineException(501, "the hollow engine does not implement " + req.method + " " + path);
    }
    return true;
  }

  private ObjectNode info() {
    EngineInfo i = engine.info();
    List<ContainerSummary> all = engine.listContainers(true, Map.of());
    long running = all.stream().filter(c -> c.state().equals("running")).count();
    ObjectNode o = JSON.createObjectNode();
    o.put("ID", i.id());
    o.put("Name", i.name());
    o.put("NCPU", i.cpus());
    o.put("MemTotal", i.memoryBytes());
    o.put("ServerVersion", i.serverVersion());
    o.put("OperatingSystem", i.operatingSystem());
    o.put("OSType", "linux");
    o.put("Architecture", i.architecture());
    o.put("KernelVersion", i.kernelVersion());
    o.put("Driver", i.storageDriver());
    ArrayNode labels = o.putArray("Labels");
    i.labels().forEach((k, val) -> labels.add(k + "=" + val));
    o.put("Containers", all.size());
    o.put("ContainersRunning", running);
    o.put("ContainersPaused", 0);
    o.put("ContainersStopped", all.size() - running);
    o.put("Images", engine.listImages().size());
    return o;
  }

  private ArrayNode list(Request req) throws IOException {
    boolean all = req.flag("all");
    Map<String, List<String>> filters = filters(req.param("filters"));
    ArrayNode out = JSON.createArrayNode();
    int limit = parseInt(req.param("limit"), -1);
    List<String> status = filters.get("status");
    for (ContainerSummary c : engine.listContainers(all || limit > 0 || status != null, Map.of())) {
      if (status != null && !status.contains(c.state())) continue;
      List<String> ids = filters.get("id");
      if (ids != null && ids.stream().noneMatch(c.id()::startsWith)) continue;
      List<String> names = filters.get("name");
      if (names != null && names.stream().noneMatch(n -> c.names().get(0).contains(n))) continue;
      List<String> labels = filters.get("label");
      if (labels != null && !labels.stream().allMatch(t -> t.contains("=")
          ? t.substring(t.indexOf('=') + 1).equals(c.labels().get(t.substring(0, t.indexOf('=')))) : c.labels().containsKey(t))) {
        continue;
      }
      out.add(summary(c));
      if (limit > 0 && out.size() >= limit) break;
    }
    return out;
  }

  private ObjectNode summary(ContainerSummary c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", c.id());
    ArrayNode names = o.putArray("Names");
    c.names().forEach(names::add);
    o.put("Image", c.image());
    o.put("ImageID", "sha256:" + c.image().hashCode());
    o.put("Command", "");
    o.put("Created", c.created());
    o.put("State", c.state());
    o.put("Status", c.status());
    ArrayNode ports = o.putArray("Ports");
    engine.inspect(c.id()).ifPresent(d -> d.publishedPorts().forEach((port, host) -> {
      ObjectNode p = ports.addObject();
      p.put("IP", "0.0.0.0");
      p.put("PrivatePort", Integer.parseInt(port.split("/")[0]));
      p.put("PublicPort", host);
      p.put("Type", port.contains("/") ? port.substring(port.indexOf('/') + 1) : "tcp");
    }));
    ObjectNode labels = o.putObject("Labels");
    c.labels().forEach(labels::put);
    o.putObject("HostConfig").put("NetworkMode", "default");
    o.putObject("NetworkSettings").putObject("Networks");
    o.putArray("Mounts");
    return o;
  }

  private ObjectNode inspect(String id) {
    ContainerDetails d = engine.inspect(id).orElseThrow(() -> new EngineException(404, "No such container: " + id));
    ContainerSummary s = engine.listContainers(true, Map.of()).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", d.id());
    o.put("Name", d.name());
    o.put("Created", Instant.ofEpochSecond(s.created()).toString());
    o.put("Image", d.image());
    ObjectNode state = o.putObject("State");
    state.put("Status", s.state());
    state.put("Running", d.running());
    state.put("Paused", false);
    state.put("Restarting", false);
    state.put("Dead", false);
    state.put("ExitCode", d.exitCode());
    state.put("StartedAt", d.startedAt());
    state.put("FinishedAt", d.finishedAt());
    ObjectNode config = o.putObject("Config");
    config.put("Image", d.image());
    config.put("Tty", false);
    ObjectNode labels = config.putObject("Labels");
    d.labels().forEach(labels::put);
    ObjectNode settings = o.putObject("NetworkSettings");
    settings.set("Networks", networks.attached(d.id()));
    ObjectNode ports = settings.putObject("Ports");
    d.publishedPorts().forEach((port, host) -> ports.putArray(port).addObject().put("HostIp", "0.0.0.0").put("HostPort", Integer.toString(host)));
    o.putObject("HostConfig");
    return o;
  }

  private static ObjectNode image(ImageSummary i) {
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", i.id());
    ArrayNode tags = o.putArray("RepoTags");
    i.repoTags().forEach(tags::add);
    o.put("Created", 0);
    o.put("Size", i.size());
    o.putObject("Labels");
    return o;
  }

  private ContainerSpec spec(Request req) {
    JsonNode body;
    try {
      body = JSON.readTree(req.body);
    } catch (IOException e) {
      throw new BadRequest("invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (body == null || !body.isObject()) throw new BadRequest("the create request must be a JSON object");
    List<String> cmd = new ArrayList<>();
    body.path("Cmd").forEach(c -> cmd.add(c.asText()));
    if (cmd.isEmpty()) cmd.add("sleep"); // the image's CMD, which a hollow engine does not keep
    List<String> env = new ArrayList<>();
    body.path("Env").forEach(e -> env.add(e.asText()));
    Map<String, String> labels = new LinkedHashMap<>();
    body.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    JsonNode host = body.path("HostConfig");
    String mode = host.path("NetworkMode").asText("default");
    if (!mode.equals("default") && !mode.startsWith("container:") && !networks.has(mode)) {
      throw new EngineException(404, "network " + mode + " not found");
    }
    Map<String, Integer> ports = new HashMap<>();
    String[] hostIp = {""};
    host.path("PortBindings").fields().forEachRemaining(f -> {
      JsonNode b = f.getValue().path(0);
      ports.put(f.getKey(), parseInt(b.path("HostPort").asText(""), 0));
      hostIp[0] = b.path("HostIp").asText("");
    });
    return new ContainerSpec(req.param("name"), body.path("Image").asText(""), cmd, env, labels, host.path("Memory").asLong(0),
        host.path("NanoCpus").asLong(0), ports, hostIp[0]);
  }

  /** {@code GET /events}: every container event from now on, one JSON object per line, until the client goes. */
  private void events(Request req, InputStream in, OutputStream out) throws IOException {
    Map<String, List<String>> filters = filters(req.param("filters"));
    List<String> types = filters.get("type");
    if (types != null && !types.contains("container")) types = null;
    BlockingQueue<FakeEngine.Event> queue = new LinkedBlockingQueue<>(10_000);
    Consumer<FakeEngine.Event> listener = queue::offer;
    engine.onEvent(listener);
    // A client sends nothing more on an events request: its EOF ends the stream, even with no events to write.
    Thread streaming = Thread.currentThread();
    Thread watcher = Thread.ofVirtual().start(() -> {
      try {
        while (in.read() >= 0) { /* nothing expected */ }
      } catch (IOException e) {
        // gone
      }
      streaming.interrupt();
    });
    try {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nServer: Berth-hollow\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      while (true) {
        FakeEngine.Event e = queue.poll(30, TimeUnit.SECONDS);
        if (e == null) continue;
        ObjectNode o = JSON.createObjectNode();
        o.put("status", e.action());
        o.put("id", e.id());
        o.put("from", e.image());
        o.put("Type", "container");
        o.put("Action", e.action());
        ObjectNode actor = o.putObject("Actor");
        actor.put("ID", e.id());
        ObjectNode attrs = actor.putObject("Attributes");
        e.labels().forEach(attrs::put);
        attrs.put("image", e.image());
        attrs.put("name", e.name());
        o.put("scope", "local");
        o.put("time", e.timeNanos() / 1_000_000_000L);
        o.put("timeNano", e.timeNanos());
        byte[] line = (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(line);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (InterruptedException e) {
      // the client went away
    } finally {
      engine.removeListener(listener);
      watcher.interrupt();
    }
  }

  /**
   * {@code GET /containers/{id}/logs}: the chosen streams' last {@code tail} lines in Docker's
   * multiplexed frames (no container here has a TTY), chunked, under the content type a 1.41
   * engine names them with; with {@code follow}, every new line until the container stops or the
   * client goes. False when the connection must close (after a follow).
   */
  private boolean logs(Request req, String id, InputStream in, OutputStream out) throws IOException {
    boolean stdout = req.flag("stdout");
    boolean stderr = req.flag("stderr");
    if (!stdout && !stderr) throw new BadRequest("Bad parameters: you must choose at least one stream");
    String tail = req.param("tail");
    int wanted = tail == null || tail.equals("all") ? -1 : parseInt(tail, -1);
    List<FakeEngine.LogLine> lines = engine.logs(id);
    int from = lines.size();
    for (int chosen = 0; from > 0 && (wanted < 0 || chosen < wanted); from--) {
      FakeEngine.LogLine l = lines.get(from - 1);
      if (l.stderr() ? stderr : stdout) chosen++;
    }
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\nApi-Version: 1.41\r\nServer: Berth-hollow\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    frames(out, lines.subList(from, lines.size()), stdout, stderr);
    if (!req.flag("follow")) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    }
    // As in events: the client sends nothing more, and its EOF ends the wait for new lines.
    Thread streaming = Thread.currentThread();
    AtomicBoolean done = new AtomicBoolean();
    Thread watcher = Thread.ofVirtual().start(() -> {
      try {
        while (in.read() >= 0) { /* nothing expected */ }
      } catch (IOException e) {
        // gone
      }
      if (!done.get()) streaming.interrupt();
    });
    try {
      follow(id, lines.size(), stdout, stderr, out);
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (InterruptedException e) {
      // the client went away
    } finally {
      // After the last chunk: interrupting the watcher, blocked in a socket read, closes the socket.
      done.set(true);
      watcher.interrupt();
      Thread.interrupted(); // the watcher's interrupt was for the wait, not for whoever runs serve
    }
    return false;
  }

  /** Writes each new line of the log until the container stops, is removed or the engine is set unreachable. */
  private void follow(String id, int sent, boolean stdout, boolean stderr, OutputStream out) throws IOException, InterruptedException {
    try {
      while (true) {
        engine.awaitLog(id, sent, Duration.ofSeconds(30));
        // Read before the lines: a line written before the container stopped is then among them.
        boolean running = engine.inspect(id).map(ContainerDetails::running).orElse(false);
        List<FakeEngine.LogLine> now = engine.logs(id);
        if (now.size() > sent) frames(out, now.subList(sent, now.size()), stdout, stderr);
        sent = Math.max(sent, now.size());
        if (!running) return;
      }
    } catch (EngineException e) {
      // removed, or unreachable: the stream ends as the engine's would
    }
  }

  /** One chunk of frames: per line an 8-byte header (stream 1 or 2, then the big-endian length) and the line. */
  private static void frames(OutputStream out, List<FakeEngine.LogLine> lines, boolean stdout, boolean stderr) throws IOException {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    for (FakeEngine.LogLine l : lines) {
      if (!(l.stderr() ? stderr : stdout)) continue;
      byte[] text = (l.text() + "\n").getBytes(StandardCharsets.UTF_8);
      chunk.write(new byte[] {(byte) (l.stderr() ? 2 : 1), 0, 0, 0, (byte) (text.length >>> 24), (byte) (text.length >>> 16),
          (byte) (text.length >>> 8), (byte) text.length});
      chunk.write(text);
    }
    if (chunk.size() == 0) return;
    out.write((Integer.toHexString(chunk.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    chunk.writeTo(out);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** {@code {"label":{"a=b":true}}} or {@code {"label":["a=b"]}}. */
  private static Map<String, List<String>> filters(String json) {
    Map<String, List<String>> out = new HashMap<>();
    if (json == null || json.isBlank()) return out;
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new BadRequest("invalid filters: " + e.getMessage().lines().findFirst().orElse(""));
    }
    root.fields().forEachRemaining(f -> {
      List<String> values = new ArrayList<>();
      if (f.getValue().isArray()) f.getValue().forEach(x -> values.add(x.asText()));
      else f.getValue().fieldNames().forEachRemaining(values::add);
      out.put(f.getKey(), values);
    });
    return out;
  }

  private static int parseInt(String s, int otherwise) {
    try {
      return s == null || s.isEmpty() ? otherwise : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static void json(OutputStream out, int status, Object value) throws IOException {
    write(out, status, "application/json", JSON.writeValueAsBytes(value), "");
  }

  private static void send(OutputStream out, int status, byte[] body) throws IOException {
    write(out, status, "application/json", body, "");
  }

  private static void write(OutputStream out, int status, String type, byte[] body, String extra) throws IOException {
    String head = "HTTP/1.1 " + status + " " + HttpReasons.of(status) + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
        + "\r\nApi-Version: 1.41\r\nServer: Berth-hollow\r\n" + extra + "\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** A malformed request: 400 with the reason. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  /** One request: line, headers, body (Content-Length or chunked). */
  private record Request(String method, String target, Map<String, String> headers, byte[] body) {
    static Request read(InputStream in) throws IOException {
      String line = line(in);
      while (line != null && line.isEmpty()) line = line(in);
      if (line == null) return null;
      String[] parts = line.split(" ");
      if (parts.length < 3) throw new IOException("malformed request line: " + line);
      Map<String, String> headers = new HashMap<>();
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
          if (b.size() + size > MAX_BODY) throw new IOException("request body too large");
          b.write(in.readNBytes(size));
          line(in);
        }
        for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) { /* trailers */ }
        body = b.toByteArray();
      } else {
        int length = parseInt(headers.get("content-length"), 0);
        if (length > MAX_BODY) throw new IOException("request body too large");
        body = in.readNBytes(length);
      }
      return new Request(parts[0], parts[1], headers, body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    String param(String name) {
      int q = target.indexOf('?');
      if (q < 0) return null;
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    boolean flag(String name) {
      String v = param(name);
      return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') return b.toString();
        if (c != '\r') b.append((char) c);
        if (b.length() > 64 * 1024) throw new IOException("header line too long");
      }
      return b.isEmpty() ? null : b.toString();
    }
  }
}
