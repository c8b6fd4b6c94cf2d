package io.berth.cluster.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The manager's answer to a register or heartbeat: the node's state, how often to beat, and the
 * cluster addresses ({@code HOST:PORT}) of the managers an agent may move to when this one stops
 * answering; {@code managers} is left out when empty, as it is unless the agent asked for it (an
 * older agent rejects a field it does not know). Unknown fields are ignored: a newer manager may say
 * more than this agent knows.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Heartbeat(String state, long intervalMillis, long ttlMillis,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> managers) {
  public Heartbeat {
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** An answer naming no other managers (as a manager before issue 16 sent). */
  public Heartbeat(String state, long intervalMillis, long ttlMillis) {
    this(state, intervalMillis, ttlMillis, List.of());
  }

  /** The same answer naming these managers. */
  public Heartbeat withManagers(List<String> addresses) {
    return new Heartbeat(state, intervalMillis, ttlMillis, addresses);
  }
}
