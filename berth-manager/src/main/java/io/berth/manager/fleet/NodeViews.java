package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's views of nodes, built from their cached containers and images. A node's view is
 * built once per version of its cache and kept, so with 10,000 nodes a create rebuilds only the
 * nodes that changed since the last one.
 */
final class NodeViews {
  private record CachedView(Node node, long version, NodeView view) {}

  private final Map<NodeName, CachedView> views = new ConcurrentHashMap<>();

  /** The views of the nodes held; a node whose images are missing (unreachable since its containers were read) is left out. */
  List<NodeView> of(List<ClusterView.Held> held, Map<Node, JsonNode> images, Map<Node, JsonNode> networks) {
    List<NodeView> out = new ArrayList<>(held.size());
    for (ClusterView.Held h : held) {
      CachedView kept = views.get(h.node().name());
      if (h.version() >= 0 && kept != null && kept.version() == h.version() && kept.node().equals(h.node())) {
        out.add(kept.view());
        continue;
      }
      JsonNode nodeImages = images.get(h.node());
      if (nodeImages == null) continue; // unreachable since its containers were read: not a candidate
      NodeView view = view(h.node(), h.entries(), nodeImages, networks.get(h.node()));
      if (h.version() >= 0) views.put(h.node().name(), new CachedView(h.node(), h.version(), view));
      out.add(view);
    }
    return out;
  }

  /** {@code networks} null: the node did not list them, so it holds none a placement could need. */
  private static NodeView view(Node n, List<ContainerCache.Entry> entries, JsonNode images, JsonNode networks) {
    List<NodeView.ContainerView> cs = new ArrayList<>();
    for (ContainerCache.Entry c : entries) cs.add(container(c));
    Set<String> imgs = new HashSet<>();
    for (JsonNode i : images) {
      imgs.add(i.path("Id").asText());
      for (JsonNode t : i.path("RepoTags")) imgs.add(t.asText());
    }
    Set<String> nets = new HashSet<>();
    if (networks != null) {
      for (JsonNode net : networks) {
        nets.add(net.path("Id").asText());
        nets.add(net.path("Name").asText());
      }
    }
    Map<String, String> labels = new HashMap<>(n.labels());
    labels.put("storagedriver", n.engine().storageDriver());
    labels.put("kernelversion", n.engine().kernelVersion());
    labels.put("operatingsystem", n.engine().operatingSystem());
    return new NodeView(n.name(), n.id(), true, labels, n.engine().cpus(), n.engine().memoryBytes(), cs, imgs, nets);
  }

  private static NodeView.ContainerView container(ContainerCache.Entry entry) {
    JsonNode c = entry.summary();
    Map<String, String> labels = new HashMap<>();
    c.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    List<PlacementRequest.HostPort> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.path("PublicPort").asInt() > 0) {
        ports.add(new PlacementRequest.HostPort(p.path("IP").asText(""), p.path("PublicPort").asInt(), p.path("Type").asText("tcp")));
      }
    }
    // A host-network container lists no ports, yet holds what it exposes while it reserves its node.
    if (entry.status() != null && ClusterView.reserving(entry.state())) ports.addAll(entry.status().hostNetworkPorts());
    String name = c.path("Names").size() > 0 ? c.path("Names").get(0).asText().substring(1) : null;
    return new NodeView.ContainerView(c.path("Id").asText(), name, c.path("Image").asText(), labels, ports,
        ClusterView.reserving(entry.state()), parseLong(labels.get(ClusterView.MEMORY_LABEL)),
        parseDouble(labels.get(ClusterView.CPUS_LABEL)));
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double parseDouble(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
