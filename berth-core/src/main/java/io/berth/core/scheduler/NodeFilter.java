package io.berth.core.scheduler;

import java.util.Optional;

/**
 * One of Swarm's filters: a veto of a node for a request, or empty when the node may take it.
 * Hard expressions only; the scheduler applies soft ones after every filter passed. A new filter
 * is a class implementing this and one line in {@link Filters#ALL}.
 */
interface NodeFilter {
  /** The name {@code berth manage --filter} takes. */
  String name();

  Optional<Veto> check(PlacementRequest r, Candidate c);

  /** A veto with that reason (filters return it instead of building the Optional themselves). */
  static Optional<Veto> veto(String reason) {
    return Optional.of(new Veto(reason));
  }
}
