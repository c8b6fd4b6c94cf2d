package io.berth.core.node;

import io.berth.core.id.NodeName;
import java.time.Instant;
import java.util.Map;

/**
 * A node of the cluster as the manager knows it: who it is, where its agent serves its engine,
 * what the engine and host are, and whether its lease is alive.
 *
 * @param name unique node name, chosen at join
 * @param id stable id from the node's certificate
 * @param address the agent's advertised {@code ip:port} for managers
 * @param state ready while the agent's lease is alive, down after it expired
 * @param engine what the engine says of itself and its host
 * @param labels engine labels merged with the agent's {@code --label}s (agent wins)
 * @param joinedAt when the node first joined
 * @param changedAt when {@code state} last changed
 * @param access how managers reach the engine: through the agent (the default) or directly
 * @param version the agent's Berth version as it registered; null for engines and older agents
 */
public record Node(NodeName name, String id, String address, NodeState state, EngineFacts engine,
                   Map<String, String> labels, Instant joinedAt, Instant changedAt, NodeAccess access,
                   String version) {
  public Node {
    NodeNames.check(name == null ? null : name.value()); // NONE is no node's name
    labels = Map.copyOf(labels);
    if (access == null) access = NodeAccess.AGENT; // records written before engines could be discovered
  }

  /** A node that joined with an agent. */
  public Node(NodeName name, String id, String address, NodeState state, EngineFacts engine,
              Map<String, String> labels, Instant joinedAt, Instant changedAt) {
    this(name, id, address, state, engine, labels, joinedAt, changedAt, NodeAccess.AGENT, null);
  }

  /** A node reached as {@code access} says, of no stated version. */
  public Node(NodeName name, String id, String address, NodeState state, EngineFacts engine,
              Map<String, String> labels, Instant joinedAt, Instant changedAt, NodeAccess access) {
    this(name, id, address, state, engine, labels, joinedAt, changedAt, access, null);
  }

  /** This node in another state, changed at {@code now}. */
  public Node withState(NodeState next, Instant now) {
    return new Node(name, id, address, next, engine, labels, joinedAt, now, access, version);
  }

  /** The host part of the advertised address. */
  public String host() {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }
}
