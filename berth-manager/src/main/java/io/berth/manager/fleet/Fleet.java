package io.berth.manager.fleet;

import io.berth.core.identity.Principal;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.node.NodeRegistry;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The nodes' engines as the whole manager knows them: one engine client per node ({@link NodeLink}),
 * the containers and images each engine's event stream keeps ({@link ClusterView}), their logs and
 * events. The manager builds and starts it whether or not its Docker endpoint is on, so LRP
 * placement sees the same containers and images as {@code docker run}.
 */
public final class Fleet implements AutoCloseable {
  private final NodeLink link;
  private final ClusterView view;
  private final Events events;

  private Fleet(NodeRegistry nodes, SSLContext managerTls, SSLContext engineTls) {
    this.link = new NodeLink(managerTls, engineTls);
    this.view = new ClusterView(nodes, link);
    this.events = new Events(view, link);
  }

  /**
   * Starts following every ready node's engine.
   *
   * @param managerTls the manager's cluster identity, for nodes reached through their agents
   * @param engineTls for engines reached directly ({@code --discovery}): TLS with this context, or plain TCP when null
   */
  public static Fleet start(NodeRegistry nodes, SSLContext managerTls, SSLContext engineTls) {
    return new Fleet(nodes, managerTls, engineTls);
  }

  public NodeLink link() {
    return link;
  }

  public ClusterView view() {
    return view;
  }

  public Events events() {
    return events;
  }

  /** The scheduler's view of the ready nodes, from the container cache: what LRP placement shares with creates. */
  public List<NodeView> nodeViews() {
    return view.snapshot(view.held());
  }

  /** App instances' container logs, read from their nodes' engines. */
  public InstanceLogs instanceLogs() {
    return new InstanceLogReader(view, link);
  }

  /** What {@code docker ps -a} through the endpoint would show {@code p}, as rows; {@code node} null for every node. */
  public List<ContainerRows.Row> containerRows(Ownership owners, Principal p, String node) {
    return ContainerRows.visible(view.entries(), owners, p, node, Instant.now());
  }

  /** Stops the container cache's streams. */
  @Override
  public void close() {
    view.close();
    link.close();
  }
}
