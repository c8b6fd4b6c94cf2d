package io.berth.agent.work;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the engine's events said of containers' exits, by container id. Docker updates what its list and
 * inspect show only after cleaning up a dead container (network, mounts: ~0.5 s, under the container's
 * lock), so the {@code die} event is the quick word. A container started again in place is
 * {@link #restarting} until its {@code start} event: a {@code die} of the run before may still be on its
 * way then, and must not be taken for the new run's.
 */
final class Exits {
  private final Map<String, Integer> died = new ConcurrentHashMap<>();
  private final Set<String> restarting = ConcurrentHashMap.newKeySet();

  /** A {@code die} event, with the main process's status. */
  void died(String id, int exitCode) {
    if (!restarting.contains(id)) died.put(id, exitCode);
  }

  /** A {@code start} event. */
  void started(String id) {
    restarting.remove(id);
  }

  /** The container is about to start again in place: its old run's exit is forgotten. */
  void restarting(String id) {
    restarting.add(id);
    died.remove(id);
  }

  /** The exit status of its die event, or null when none came for its current run. */
  Integer code(String id) {
    return died.get(id);
  }

  boolean hasDied(String id) {
    return died.containsKey(id);
  }

  /** Forgets containers the engine no longer lists. */
  void keepOnly(Set<String> listed) {
    died.keySet().retainAll(listed);
    restarting.retainAll(listed);
  }
}
