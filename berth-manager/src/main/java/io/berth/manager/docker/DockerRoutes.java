package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import io.berth.manager.fleet.Events;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import io.berth.manager.identity.Access;
import io.berth.store.StateStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker endpoint's one route table. Each route is scheduled (create: the scheduler picks the
 * node), aggregated (fan out to every ready node and merge), proxied (forwarded verbatim to the
 * node that holds the container or exec), or unsupported (501 naming the route).
 */
public final class DockerRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code /containers/REF[/ACTION]}; REF may be {@code NODE/NAME}, which the CLI sends unescaped. */
  private static final Pattern CONTAINER = Pattern.compile("^/containers/([^/]+(?:/[^/]+)?)$");
  private static final Set<String> ACTIONS = Set.of("json", "start", "stop", "restart", "kill", "wait", "logs", "attach", "top",
      "resize", "pause", "unpause", "rename", "export", "changes", "stats", "archive", "exec", "update");
  private static final Pattern EXEC = Pattern.compile("^/exec/([^/]+)/(start|resize|json)$");
  private static final Pattern IMAGE_ACTION = Pattern.compile("^/images/(.+)/(json|history|tag|push)$");
  private static final Pattern IMAGE = Pattern.compile("^/images/(.+)$");
  private static final Pattern NETWORK = Pattern.compile("^/networks/([^/]+)(/connect|/disconnect)?$");
  private static final Pattern VOLUME = Pattern.compile("^/volumes/([^/]+)$");
  private final ClusterView cluster;
  private final NodeLink link;
  private final Creator creator;
  private final Info info;
  private final Images images;
  private final Events events;
  private final LocalResources local;
  private final Builds builds;
  private final Access access;
  /** Exec ids are known only to the engine that made them: remember which node that was. */
  private volatile io.berth.manager.registry.DockerLogin login;
  private final Map<String, ExecAt> execs = new ConcurrentHashMap<>();
  private final Ownership owners;

  /** Where an exec runs, and the container it runs in: starting it needs what exec in that container needs. */
  private record ExecAt(Node node, String container, Map<String, String> labels) {}

  /**
   * @param fleet the nodes' engines, which the manager owns and closes
   * @param sharedStore the cluster's store when several managers may share it (etcd), where creates take their
   *     cluster-wide lock ({@link CreateLock}); null for a store only this manager uses (SQLite)
   */
  public DockerRoutes(Fleet fleet, StateStore sharedStore, Scheduler scheduler, String managerName, Access access) {
    this.access = access;
    this.owners = new Ownership(access);
    this.link = fleet.link();
    this.cluster = fleet.view();
    this.events = fleet.events();
    this.creator = new Creator(cluster, link, scheduler, sharedStore == null ? CreateLock.local()
        : new CreateLock(sharedStore, managerName + "-" + Long.toHexString(System.nanoTime())));
    this.info = new Info(cluster, scheduler, managerName);
    this.images = new Images(cluster, link);
    this.local = new LocalResources(cluster, link);
    this.builds = new Builds(cluster, link, creator);
  }

  /** Makes {@code POST /build} check and record builds as resources ({@link io.berth.manager.build.BuildRecords}). */
  public void buildRecords(io.berth.manager.build.BuildRecords records) {
    builds.records = records;
  }

  /** Lets {@code POST /auth} ({@code docker login}) check Berth's users. */
  public void login(io.berth.manager.registry.DockerLogin login) {
    this.login = login;
  }

  /** Who may do what: the callers' roles, and the audit of every mutating call. */
  Access access() {
    return access;
  }

  /** Nothing of its own to stop: the fleet it reads is the manager's. */
  public void close() {}

  /** Answers one request; false when the route took the connection over (it must then be closed). */
  boolean handle(DockerEndpoint.Exchange ex) throws IOException {
    String method = ex.request().method();
    String path = ex.path();
    switch (method + " " + path) {
      case "GET /_ping", "HEAD /_ping" -> {
        // The CLI negotiates its API version from these headers; a HEAD answer carries no body.
        DockerEndpoint.send(ex.out(), 200, "text/plain; charset=utf-8", method.equals("HEAD") ? new byte[0] : "OK".getBytes(),
            Map.of("Docker-Experimental", "false", "Ostype", "linux", "Cache-Control", "no-cache, no-store, must-revalidate"));
        return true;
      }
      case "GET /version" -> {
        DockerEndpoint.json(ex.out(), 200, info.version());
        return true;
      }
      case "GET /info" -> {
        DockerEndpoint.json(ex.out(), 200, info.info());
        return true;
      }
      case "GET /containers/json" -> {
        DockerEndpoint.json(ex.out(), 200, containers(ex));
        return true;
      }
      case "GET /images/json" -> {
        DockerEndpoint.json(ex.out(), 200, images());
        return true;
      }
      case "POST /images/load", "POST /images/create" -> {
        images.everyNode(ex, versioned(ex, path));
        return false;
      }
      case "POST /build" -> {
        builds.build(ex, versioned(ex, path));
        return false;
      }
      case "GET /images/get" -> {
        String first = ex.queryParam("names");
        if (first == null) throw new BerthException.Invalid("no image named: save needs names=");
        ex.forward(link, images.holder(first), ex.request());
        return false;
      }
      case "GET /events" -> {
        Events.Merge merge = events.open(ownOnly(ex, versioned(ex, path)));
        merge.relay(DockerEndpoint.streamHead(ex.out()), ex.clientIn());
        return false;
      }
      case "GET /networks" -> {
        DockerEndpoint.json(ex.out(), 200, local.networks(versioned(ex, path)));
        return true;
      }
      case "GET /volumes" -> {
        DockerEndpoint.json(ex.out(), 200, local.volumes(versioned(ex, path)));
        return true;
      }
      case "POST /networks/create", "POST /volumes/create" -> {
        local.create(ex, versioned(ex, path));
        return true;
      }
      case "POST /commit" -> {
        String container = ex.queryParam("container");
        if (container == null || container.isEmpty()) throw new BerthException.Invalid("commit needs container=");
        Node node = touch(ex, container, new Ownership.Need(io.berth.core.identity.Action.READ, "commit")).node();
        try {
          ex.forward(link, node, ex.request());
        } finally {
          cluster.cache().refreshImages(node);
        }
        return false;
      }
      case "GET /system/df" -> {
        DockerEndpoint.json(ex.out(), 200, diskUsage(ex, versioned(ex, path)));
        return true;
      }
      case "POST /containers/prune" -> {
        DockerEndpoint.json(ex.out(), 200, prune(ownOnly(ex, versioned(ex, path))));
        return true;
      }
      case "POST /containers/create" -> {
        creator.create(ex, CreateRules.check(ex, owners, this::touch));
        return true;
      }
      case "POST /auth" -> {
        if (login == null) throw new BerthException.Unsupported("docker login is not offered by this manager");
        DockerEndpoint.json(ex.out(), 200, login.login(ex.body(), ex.client().getInetAddress().getHostAddress()));
        return true;
      }
      default -> {
        return proxied(ex, method, path);
      }
    }
  }

  private boolean proxied(DockerEndpoint.Exchange ex, String method, String path) throws IOException {
    Matcher c = CONTAINER.matcher(path.replaceFirst("^(/containers/[^/]+/[^/]+)/([a-z]+)$", "$1|$2"));
    String[] refAndAction = c.matches() ? splitAction(c.group(1)) : null;
    if (refAndAction != null && !Set.of("json", "create", "prune").contains(refAndAction[0])) {
      String action = refAndAction[1];
      String ref = java.net.URLDecoder.decode(refAndAction[0], java.nio.charset.StandardCharsets.UTF_8);
      ClusterView.Located at = touch(ex, ref, Ownership.need(method, action));
      String target = "/v" + DockerEndpoint.API_VERSION + "/containers/" + at.id() + action + (ex.query().isEmpty() ? "" : "?" + ex.query());
      if (method.equals("GET") && action.equals("/json")) {
        inspect(ex, at, target);
        return true;
      }
      if (method.equals("POST") && action.equals("/exec")) {
        execCreate(ex, at, ref, target);
        return true;
      }
      if (method.equals("POST") && action.equals("/rename")) {
        String name = ex.queryParam("name");
        // Names are unique across the cluster, not just on the container's node.
        if (name != null && cluster.nameTaken(name.startsWith("/") ? name.substring(1) : name, cluster.entries().values())) {
          throw new BerthException.Conflict("NameInUse", "Conflict. The container name \"/" + (name.startsWith("/") ? name.substring(1) : name)
              + "\" is already in use by another container on the cluster. You have to remove (or rename) that container to be able to reuse that name.");
        }
      }
      try {
        ex.forward(link, at.node(), retarget(ex.request(), target));
      } finally {
        // A write made through the manager is in the cache before the client's next request.
        if (!method.equals("GET")) cluster.cache().refresh(at.node(), at.id());
      }
      return false;
    }
    Matcher ia = IMAGE_ACTION.matcher(path);
    if (ia.matches() && ia.group(2).equals("push") && method.equals("POST")) {
      String name = java.net.URLDecoder.decode(ia.group(1), java.nio.charset.StandardCharsets.UTF_8);
      String tag = ex.queryParam("tag");
      images.push(ex, tag == null || tag.isEmpty() ? name : name + ":" + tag);
      return false;
    }
    if (ia.matches() && !ia.group(2).equals("push")) {
      String name = java.net.URLDecoder.decode(ia.group(1), java.nio.charset.StandardCharsets.UTF_8);
      if (method.equals("POST") && ia.group(2).equals("tag")) {
        images.tag(ex, versioned(ex, path), name);
        return true;
      }
      if (method.equals("GET")) {
        ex.forward(link, images.holder(name), ex.request());
        return false;
      }
    }
    Matcher im = IMAGE.matcher(path);
    if (method.equals("DELETE") && im.matches()) {
      images.remove(ex, versioned(ex, path), java.net.URLDecoder.decode(im.group(1), java.nio.charset.StandardCharsets.UTF_8));
      return true;
    }
    Matcher net = NETWORK.matcher(path);
    if (net.matches() && !net.group(1).equals("create") && !net.group(1).equals("prune")) {
      String id = net.group(1);
      if (net.group(2) != null && method.equals("POST")) {
        // connect / disconnect act on the node of the container named in the body
        String container = JSON.readTree(ex.body()).path("Container").asText("");
        ClusterView.Located at = touch(ex, container, new Ownership.Need(io.berth.core.identity.Action.EXEC,
            net.group(2).equals("/connect") ? "connect" : "disconnect"));
        ObjectNode body = (ObjectNode) JSON.readTree(ex.body());
        body.put("Container", at.id());
        NodeLink.Response r = link.call(at.node(), "POST", versioned(ex, path), JSON.writeValueAsBytes(body));
        cluster.cache().refresh(at.node(), at.id());
        DockerEndpoint.send(ex.out(), r.status(), "application/json", r.body(), Map.of());
        return true;
      }
      if (method.equals("GET")) {
        local.inspect(ex, versioned(ex, path), "network " + id + " not found");
        return true;
      }
      if (method.equals("DELETE")) {
        local.remove(ex, versioned(ex, path), "network " + id + " not found");
        return true;
      }
    }
    Matcher vol = VOLUME.matcher(path);
    if (vol.matches() && !vol.group(1).equals("create") && !vol.group(1).equals("prune")) {
      if (method.equals("GET")) {
        local.inspect(ex, versioned(ex, path), "get " + vol.group(1) + ": no such volume");
        return true;
      }
      if (method.equals("DELETE")) {
        local.remove(ex, versioned(ex, path), "get " + vol.group(1) + ": no such volume");
        return true;
      }
    }
    Matcher e = EXEC.matcher(path);
    if (e.matches()) {
      ExecAt at = execs.get(e.group(1));
      if (at == null || !owners.sees(ex.caller(), at.labels())) throw new BerthException.NotFound("NoSuchExec", "No such exec instance: " + e.group(1));
      Ownership.Need need = e.group(2).equals("json") ? new Ownership.Need(io.berth.core.identity.Action.READ, "inspect an exec of")
          : new Ownership.Need(io.berth.core.identity.Action.EXEC, "exec in");
      owners.require(ex.caller(), at.container(), at.labels(), need.action(), need.verb());
      ex.forward(link, at.node(), ex.request());
      return false;
    }
    throw new BerthException.Unsupported(method + " " + path + " is not supported by Berth's Docker endpoint yet");
  }

  /** Finds a container the caller can see ("No such container" otherwise) and checks they may take {@code need}'s action on it. */
  private ClusterView.Located touch(DockerEndpoint.Exchange ex, String ref, Ownership.Need need) {
    io.berth.core.identity.Principal p = ex.caller();
    ClusterView.Located at = cluster.locate(ref, labels -> owners.sees(p, labels));
    owners.require(p, ref, at.labels(), need.action(), need.verb());
    return at;
  }

  /** A request target whose filters also ask for the caller's own containers, unless the caller is an administrator. */
  private static String ownOnly(DockerEndpoint.Exchange ex, String target) {
    if (ex.caller().admin()) return target;
    return CreateRules.withLabelFilter(target, ex.queryParam("filters"), Ownership.OWNER + "=" + ex.caller().user());
  }

  /** A path as the audit names the action: a container's or exec's reference replaced by a placeholder (it is the target). */
  static String auditPath(String path) {
    Matcher c = CONTAINER.matcher(path.replaceFirst("^(/containers/[^/]+/[^/]+)/([a-z]+)$", "$1|$2"));
    if (c.matches()) {
      String[] ra = splitAction(c.group(1));
      if (!Set.of("json", "create", "prune").contains(ra[0])) return "/containers/{name}" + ra[1];
    }
    Matcher e = EXEC.matcher(path);
    if (e.matches()) return "/exec/{id}/" + e.group(2);
    return path;
  }

  /** What a mutating call acts on, for the audit: the container, exec, image or name it names, or "". */
  static String auditTarget(DockerEndpoint.Exchange ex) {
    String path = ex.path();
    Matcher c = CONTAINER.matcher(path.replaceFirst("^(/containers/[^/]+/[^/]+)/([a-z]+)$", "$1|$2"));
    if (c.matches()) {
      String ref = splitAction(c.group(1))[0];
      if (!Set.of("json", "create", "prune").contains(ref)) return java.net.URLDecoder.decode(ref, java.nio.charset.StandardCharsets.UTF_8);
    }
    Matcher e = EXEC.matcher(path);
    if (e.matches()) return e.group(1);
    for (String q : List.of("name", "container", "fromImage", "t", "tag")) {
      String v = ex.queryParam(q);
      if (v != null && !v.isEmpty()) return v;
    }
    Matcher im = IMAGE.matcher(path);
    return im.matches() ? java.net.URLDecoder.decode(im.group(1), java.nio.charset.StandardCharsets.UTF_8) : "";
  }

  /** Splits {@code REF[/ACTION]} or {@code NODE/NAME|ACTION} into the container reference and {@code /action} (or ""). */
  private static String[] splitAction(String rest) {
    int bar = rest.indexOf('|');
    if (bar >= 0) return new String[] {rest.substring(0, bar), "/" + rest.substring(bar + 1)};
    int slash = rest.indexOf('/');
    if (slash >= 0 && ACTIONS.contains(rest.substring(slash + 1))) return new String[] {rest.substring(0, slash), rest.substring(slash)};
    return new String[] {rest, ""}; // a bare REF (DELETE), or NODE/NAME with no action
  }

  private static String versioned(DockerEndpoint.Exchange ex, String path) {
    return "/v" + DockerEndpoint.API_VERSION + path + (ex.query().isEmpty() ? "" : "?" + ex.query());
  }

  /** {@code docker system df} over every node: sizes summed, lists joined. */
  private ObjectNode diskUsage(DockerEndpoint.Exchange ex, String target) {
    ObjectNode out = JSON.createObjectNode();
    long layers = 0;
    ArrayNode images = out.putArray("Images");
    ArrayNode containers = out.putArray("Containers");
    ArrayNode volumes = out.putArray("Volumes");
    ArrayNode cache = out.putArray("BuildCache");
    for (JsonNode df : cluster.fanOut(target).values()) {
      layers += df.path("LayersSize").asLong(0);
      df.path("Images").forEach(images::add);
      for (JsonNode c : df.path("Containers")) if (owners.sees(ex.caller(), c)) containers.add(c);
      df.path("Volumes").forEach(volumes::add);
      df.path("BuildCache").forEach(cache::add);
    }
    out.put("LayersSize", layers);
    return out;
  }

  /** {@code docker container prune} on every node, the deleted ids and reclaimed space summed. */
  private ObjectNode prune(String target) throws IOException {
    ArrayNode deleted = JSON.createArrayNode();
    long space = 0;
    for (Node n : cluster.ready()) {
      NodeLink.Response r = link.call(n, "POST", target, new byte[0]);
      if (r.status() != 200) throw new Images.NodeFailure(r.status(), "node " + n.name() + ": " + Images.message(r));
      JsonNode j = JSON.readTree(r.body());
      for (JsonNode id : j.path("ContainersDeleted")) deleted.add(id);
      space += j.path("SpaceReclaimed").asLong(0);
      cluster.cache().resync(n);
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("ContainersDeleted", deleted);
    out.put("SpaceReclaimed", space);
    return out;
  }

  private static HttpMessage retarget(HttpMessage req, String target) {
    return new HttpMessage(req.method() + " " + target + " HTTP/1.1", req.headers());
  }

  private void inspect(DockerEndpoint.Exchange ex, ClusterView.Located at, String target) throws IOException {
    NodeLink.Response r = link.call(at.node(), "GET", target, null);
    if (r.status() != 200) {
      DockerEndpoint.send(ex.out(), r.status(), "application/json", r.body(), Map.of());
      return;
    }
    ObjectNode body = (ObjectNode) JSON.readTree(r.body());
    body.set("Node", ClusterView.nodeJson(at.node()));
    // Published on all addresses means: on the node's address, which is where a client can reach it.
    body.path("NetworkSettings").path("Ports").forEach(bindings -> bindings.forEach(b -> {
      String ip = b.path("HostIp").asText("");
      if (b instanceof ObjectNode o && (ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::"))) o.put("HostIp", at.node().host());
    }));
    DockerEndpoint.json(ex.out(), 200, body);
  }

  private void execCreate(DockerEndpoint.Exchange ex, ClusterView.Located at, String ref, String target) throws IOException {
    NodeLink.Response r = link.call(at.node(), "POST", target, ex.body());
    if (r.status() == 201) execs.put(JSON.readTree(r.body()).path("Id").asText(), new ExecAt(at.node(), ref, at.labels()));
    DockerEndpoint.send(ex.out(), r.status(), "application/json", r.body(), Map.of());
  }

  /**
   * Every node's containers, named {@code /NODE/NAME} and with ports on the node's address, as
   * Swarm showed them. Answered from the container cache when the query is one it can match
   * ({@link PsQuery}); otherwise every node answers the query itself.
   */
  private ArrayNode containers(DockerEndpoint.Exchange ex) {
    String query = ex.query();
    java.util.Optional<PsQuery> cached = PsQuery.parse(query);
    if (cached.isPresent()) {
      PsQuery q = cached.get();
      java.time.Instant now = java.time.Instant.now();
      List<Map.Entry<Node, ContainerCache.Entry>> hits = new java.util.ArrayList<>();
      cluster.entries().forEach((node, list) -> {
        for (ContainerCache.Entry e : list) if (q.matches(e) && owners.sees(ex.caller(), e.summary())) hits.add(Map.entry(node, e));
      });
      hits.sort(java.util.Comparator.comparingLong((Map.Entry<Node, ContainerCache.Entry> h) -> h.getValue().createdNanos()).reversed());
      ArrayNode out = JSON.createArrayNode();
      for (var h : q.limit() > 0 && hits.size() > q.limit() ? hits.subList(0, q.limit()) : hits) {
        out.add(asSwarmShowsIt(h.getKey(), h.getValue().listing(now)));
      }
      return out;
    }
    ArrayNode all = JSON.createArrayNode();
    cluster.fanOut("/v" + DockerEndpoint.API_VERSION + "/containers/json" + (query.isEmpty() ? "" : "?" + query)).forEach((node, list) -> {
      for (JsonNode c : list) if (owners.sees(ex.caller(), c)) all.add(asSwarmShowsIt(node, (ObjectNode) c));
    });
    return newestFirst(all, ex.queryParam("limit"));
  }

  private static ObjectNode asSwarmShowsIt(Node node, ObjectNode o) {
    ArrayNode names = JSON.createArrayNode();
    for (JsonNode n : o.path("Names")) names.add("/" + node.name() + n.asText());
    o.set("Names", names);
    for (JsonNode p : o.path("Ports")) {
      if (p.has("IP") && (p.path("IP").asText().equals("0.0.0.0") || p.path("IP").asText().isEmpty())) {
        ((ObjectNode) p).put("IP", node.host());
      }
    }
    return o;
  }

  /** {@code ps -n N} / {@code -l} ask for the newest N of the whole cluster, not of each node. */
  private static ArrayNode newestFirst(ArrayNode all, String limit) {
    List<JsonNode> sorted = new java.util.ArrayList<>();
    all.forEach(sorted::add);
    sorted.sort(java.util.Comparator.comparingLong((JsonNode c) -> c.path("Created").asLong()).reversed());
    int n = sorted.size();
    try {
      if (limit != null && Integer.parseInt(limit) > 0) n = Math.min(n, Integer.parseInt(limit));
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("invalid limit: " + limit);
    }
    ArrayNode out = JSON.createArrayNode();
    sorted.subList(0, n).forEach(out::add);
    return out;
  }

  private ArrayNode images() {
    ArrayNode all = JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    cluster.fanOut("/images/json").forEach((node, list) -> {
      for (JsonNode i : list) if (seen.add(i.path("Id").asText())) all.add(i);
    });
    return all;
  }
}
