package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.Ownership;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a create may ask for, by caller. Any signed-in user may run containers; the container is
 * theirs ({@code io.berth.owner}). A user who is not an administrator may not set Berth's own
 * {@code io.berth.*} labels (an app's instance is made by its agent, not by hand), may not link to,
 * share volumes or a network namespace with a container they may not exec in, and may not give a
 * container the host: privileged mode, bind mounts of host paths, devices, added capabilities, or
 * the host's network, PID, IPC, UTS, user or cgroup namespace — any of which would make them root
 * on the node, above every other user's containers.
 */
final class CreateRules {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final List<String> NAMESPACES = List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode");

  private CreateRules() {}

  /** Finds a container the caller can see and checks the need (what {@link DockerRoutes} does for every container route). */
  @FunctionalInterface
  interface Touch {
    ClusterView.Located touch(Exchange ex, String ref, Ownership.Need need);
  }

  /** Checks the create request against the caller; the owner the container is labelled with. */
  static String check(Exchange ex, CreateRequest request, Touch touch) {
    Principal p = ex.caller();
    Map<String, String> labels = request.labels();
    if (p.admin()) return labels.getOrDefault(Ownership.OWNER, p.user()); // an administrator may create for someone
    for (String label : labels.keySet()) {
      if (label.startsWith("io.berth.") && !(label.equals(Ownership.OWNER) && labels.get(label).equals(p.user()))) {
        throw new BerthException.Forbidden(p.user() + " may not set the label " + label + ": io.berth.* labels are Berth's own");
      }
    }
    JsonNode host = request.host();
    String refused = hostAccess(host);
    if (refused != null) {
      throw new BerthException.Forbidden(p.user() + " may not use HostConfig." + refused
          + ": only administrators may give a container the host's devices, files or namespaces");
    }
    for (String dependency : Creator.dependencies(host)) touch.touch(ex, dependency, new Ownership.Need(Action.EXEC, "share"));
    return p.user();
  }

  /** The first host setting the request asks for, or null. */
  static String hostAccess(JsonNode host) {
    if (host.path("Privileged").asBoolean(false)) return "Privileged";
    for (JsonNode b : host.path("Binds")) if (b.asText().startsWith("/")) return "Binds (" + b.asText().split(":")[0] + ")";
    for (JsonNode m : host.path("Mounts")) if (m.path("Type").asText("").equals("bind")) return "Mounts (bind " + m.path("Source").asText() + ")";
    if (host.path("Devices").size() > 0) return "Devices";
    if (host.path("CapAdd").size() > 0) return "CapAdd";
    for (String ns : NAMESPACES) if (host.path(ns).asText("").equals("host")) return ns + "=host";
    return null;
  }

  /** {@code target} with {@code filters} (the client's, or none) also asking for the label {@code label} ({@code key=value}). */
  static String withLabelFilter(String target, String filters, String label) {
    ObjectNode f;
    try {
      JsonNode given = filters == null || filters.isEmpty() ? null : JSON.readTree(filters);
      f = given instanceof ObjectNode o ? o : JSON.createObjectNode();
    } catch (IOException e) {
      throw new BerthException.Invalid("invalid filters: " + filters);
    }
    JsonNode labels = f.path("label");
    if (labels.isArray()) ((ArrayNode) labels).add(label);
    else if (labels instanceof ObjectNode o) o.put(label, true);
    else f.putObject("label").put(label, true);
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    StringBuilder query = new StringBuilder();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty() || pair.startsWith("filters=")) continue;
        query.append(query.isEmpty() ? "" : "&").append(pair);
      }
    }
    query.append(query.isEmpty() ? "" : "&").append("filters=").append(URLEncoder.encode(f.toString(), StandardCharsets.UTF_8));
    return path + "?" + query;
  }
}
