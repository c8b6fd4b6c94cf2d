package io.berth.manager.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes on one container or exec: each finds the container among those the caller can see,
 * checks they may take the route's action on it, and proxies the request to the node that holds it.
 */
final class ContainerRoutes {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;
  private final Ownership owners;
  private final ContainerNames names;
  /** Exec ids are known only to the engine that made them: remember which node that was. */
  private final Map<String, ExecAt> execs = new ConcurrentHashMap<>();

  /** Where an exec runs, and the container it runs in: starting it needs what exec in that container needs. */
  private record ExecAt(Node node, String container, Map<String, String> labels) {}

  ContainerRoutes(ClusterView cluster, NodeLink link, Ownership owners, ContainerNames names) {
    this.cluster = cluster;
    this.link = link;
    this.owners = owners;
    this.names = names;
  }

  /** Finds a container the caller can see ("No such container" otherwise) and checks they may take {@code need}'s action on it. */
  ClusterView.Located touch(Exchange ex, String ref, Ownership.Need need) {
    Principal p = ex.caller();
    ClusterView.Located at = cluster.locate(ref, labels -> owners.sees(p, labels));
    owners.require(p, ref, at.labels(), need.action(), need.verb());
    return at;
  }

  /** {@code /containers/REF/ACTION}, any method: forwarded; a write is in the cache before the client's next request. */
  Reply call(Exchange ex, String[] parts) {
    ClusterView.Located at = touch(ex, parts[0], Ownership.need(ex.request().method(), parts[1]));
    String method = ex.request().method();
    if (method.equals("DELETE") && parts[1].isEmpty()) return remove(ex, at);
    return method.equals("POST") && parts[1].equals("/start") ? start(ex, at) : forward(ex, at, parts[1]);
  }

  /**
   * {@code POST /containers/REF/start}: called on the node, on a kept-alive connection (its answer is small), rather
   * than relayed on a connection of its own; the container is read again while the answer goes out.
   */
  private Reply start(Exchange ex, ClusterView.Located at) {
    try {
      return Reply.Bytes.of(link.call(at.node(), "POST", target(ex, at, "/start"), ex.body()));
    } finally {
      cluster.cache().refreshSoon(at.node(), at.id(), at.labels());
    }
  }

  /** {@code GET /containers/REF/json}: the node's answer with the node added and ports on the node's address. */
  Reply inspect(Exchange ex, String[] parts) throws IOException {
    ClusterView.Located at = touch(ex, parts[0], Ownership.need("GET", parts[1]));
    NodeLink.Response r = link.call(at.node(), "GET", target(ex, at, parts[1]), null);
    if (r.status() != 200) return Reply.Bytes.of(r);
    ObjectNode body = (ObjectNode) JSON.readTree(r.body());
    body.set("Node", ClusterView.nodeJson(at.node()));
    // Published on all addresses means: on the node's address, which is where a client can reach it.
    body.path("NetworkSettings").path("Ports").forEach(bindings -> bindings.forEach(b -> {
      String ip = b.path("HostIp").asText("");
      if (b instanceof ObjectNode o && (ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::"))) o.put("HostIp", at.node().host());
    }));
    return new Reply.Json(200, body);
  }

  /** {@code POST /containers/REF/exec}: created on the container's node, which is remembered for the exec's own routes. */
  Reply execCreate(Exchange ex, String[] parts) throws IOException {
    ClusterView.Located at = touch(ex, parts[0], Ownership.need("POST", parts[1]));
    NodeLink.Response r = link.call(at.node(), "POST", target(ex, at, parts[1]), ex.body());
    if (r.status() == 201) execs.put(JSON.readTree(r.body()).path("Id").asText(), new ExecAt(at.node(), parts[0], at.labels()));
    return Reply.Bytes.of(r);
  }

  /** {@code POST /containers/REF/rename}: names are unique across the cluster, not just on the container's node. */
  Reply rename(Exchange ex, String[] parts) {
    ClusterView.Located at = touch(ex, parts[0], Ownership.need("POST", parts[1]));
    String name = ex.queryParam("name");
    String bare = name == null ? null : name.startsWith("/") ? name.substring(1) : name;
    if (bare != null && cluster.nameTaken(bare, cluster.entries().values())) {
      throw ContainerNames.inUse(bare);
    }
    // The new name is reserved as a create's is, and the call made on the node (not relayed) to know how it went.
    Optional<String> old = nameOf(at);
    Optional<ContainerNames.Reserved> reserved = names.reserve(bare);
    NodeLink.Response r;
    try {
      r = link.call(at.node(), "POST", target(ex, at, parts[1]), null);
    } catch (RuntimeException e) {
      names.release(reserved);
      throw e;
    }
    cluster.cache().refresh(at.node(), at.id());
    if (r.status() / 100 == 2) {
      names.created(reserved, at.node().name(), at.id());
      old.ifPresent(n -> names.removed(n, at.id()));
    } else {
      names.release(reserved);
    }
    return Reply.Bytes.of(r);
  }

  /** {@code /exec/ID/ACTION}: on the node that made the exec, for a caller who may exec in (or read) its container. */
  Reply exec(Exchange ex, String[] parts) {
    ExecAt at = execs.get(parts[0]);
    if (at == null || !owners.sees(ex.caller(), at.labels())) throw new BerthException.NotFound("NoSuchExec", "No such exec instance: " + parts[0]);
    Ownership.Need need = parts[1].equals("json") ? new Ownership.Need(Action.READ, "inspect an exec of")
        : new Ownership.Need(Action.EXEC, "exec in");
    owners.require(ex.caller(), at.container(), at.labels(), need.action(), need.verb());
    return new Reply.Forward(at.node(), ex.request());
  }

  /** {@code POST /commit?container=REF}: on the container's node, whose images are read afresh from the start (the cache's {@code imagesChanging}). */
  Reply commit(Exchange ex, String[] parts) {
    String container = ex.queryParam("container");
    if (container == null || container.isEmpty()) throw new BerthException.Invalid("commit needs container=");
    Node node = touch(ex, container, new Ownership.Need(Action.READ, "commit")).node();
    Runnable changed = cluster.cache().imagesChanging(node);
    return new Reply.Forward(node, ex.request(), failure -> changed.run());
  }

  private Reply forward(Exchange ex, ClusterView.Located at, String action) {
    String method = ex.request().method();
    return new Reply.Forward(at.node(), ex.request().retargeted(target(ex, at, action)), failure -> {
      // A write made through the manager is in the cache before the client's next request. A wait that ended with its
      // container (docker run --rm) counts; one whose client left (docker run -d exits with its wait open) changed nothing.
      boolean waitLeft = action.equals("/wait") && failure instanceof Exchange.ClientLeft;
      if (!method.equals("GET") && !waitLeft) cluster.cache().refresh(at.node(), at.id());
    });
  }

  /**
   * {@code DELETE /containers/REF}: called on the node rather than relayed (the answer is small), so that once the
   * container is gone its name's reservation goes too, and the name is free at once through every manager.
   */
  private Reply remove(Exchange ex, ClusterView.Located at) {
    Optional<String> name = nameOf(at);
    NodeLink.Response r = link.call(at.node(), "DELETE", target(ex, at, ""), null);
    cluster.cache().refresh(at.node(), at.id());
    if (r.status() == 204) name.ifPresent(n -> names.removed(n, at.id()));
    return Reply.Bytes.of(r);
  }

  /** The container's name as its node's cache lists it. */
  private Optional<String> nameOf(ClusterView.Located at) {
    return cluster.cache().containers(at.node()).flatMap(cs -> cs.stream().filter(e -> e.summary().path("Id").asText().equals(at.id()))
        .findFirst()).map(e -> e.summary().path("Names").path(0).asText("")).filter(n -> !n.isEmpty())
        .map(n -> n.startsWith("/") ? n.substring(1) : n);
  }

  /** The request's target on the node: the container by its id, the action and query kept. */
  private static String target(Exchange ex, ClusterView.Located at, String action) {
    return "/v" + DockerEndpoint.API_VERSION + "/containers/" + at.id() + action + (ex.query().isEmpty() ? "" : "?" + ex.query());
  }
}
