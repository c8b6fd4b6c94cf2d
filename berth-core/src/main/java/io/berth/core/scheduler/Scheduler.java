package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Places containers on nodes, as classic Swarm did: every filter vetoes the nodes that cannot take
 * a request, soft expressions narrow the rest when they can, a request of a group (an LRP's
 * instances) goes to the nodes holding fewest of its group, and the strategy chooses. A pure
 * function of its inputs: it never reads the clock, the store or the network, so the manager can
 * call it under a lock and a benchmark can call it on 10,000 hollow nodes.
 */
public final class Scheduler {
  /** Every filter, in the order they run. */
  public static final List<String> FILTERS = Filters.names();
  private final List<String> filterNames;
  private final List<NodeFilter> filters;
  private final Strategy strategy;
  private final RandomGenerator random;

  /**
   * @param filterNames which filters to run ({@link #FILTERS} for all)
   * @param random used by a sampling strategy ({@link Strategy#RANDOM}) only; pass a seeded one for repeatable plans
   */
  public Scheduler(List<String> filterNames, Strategy strategy, RandomGenerator random) {
    this.filterNames = List.copyOf(filterNames);
    this.filters = Filters.named(filterNames);
    this.strategy = strategy;
    this.random = random;
  }

  public Strategy strategy() {
    return strategy;
  }

  public List<String> filters() {
    return filterNames;
  }

  /** Plans a batch on nodes given as views (builds a {@link ClusterSnapshot} first). */
  public Plan plan(List<PlacementRequest> requests, List<NodeView> nodes) {
    return plan(requests, ClusterSnapshot.of(nodes));
  }

  /**
   * Plans a batch in order; each placement counts against its node for the requests after it.
   *
   * <p>{@code spread} and {@code binpack} are exact, as Swarm's were: the snapshot keeps the nodes
   * sorted best first (once per snapshot), so a placement walks them in that order to the first
   * node every filter accepts, then compares it with the few nodes earlier placements of the same
   * batch changed. A request with soft expressions compares every feasible node (it must know
   * whether any meets them). {@code random} walks from a random start and picks among the first
   * {@value #FEASIBLE_SAMPLE} feasible nodes, as Kubernetes and Nomad sample. Only when no node fits
   * does it look at all of them, to say why.
   */
  public Plan plan(List<PlacementRequest> requests, ClusterSnapshot snapshot) {
    ClusterSnapshot.Node[] nodes = snapshot.nodes;
    Candidate[] touched = new Candidate[nodes.length];
    List<Integer> changed = new ArrayList<>();
    List<Plan.Placement> placed = new ArrayList<>();
    List<Plan.Unplaced> unplaced = new ArrayList<>();
    for (PlacementRequest r : requests) {
      int chosen = strategy.samples() || hasSoft(r) ? sampled(r, nodes, touched) : walked(r, snapshot, touched, changed);
      if (chosen < 0) {
        unplaced.add(new Plan.Unplaced(r, explain(r, nodes, touched)));
        continue;
      }
      if (touched[chosen] == null) {
        touched[chosen] = new Candidate(nodes[chosen]); // an untouched node: the same as the candidate that won
        changed.add(chosen);
      }
      touched[chosen].place(r);
      placed.add(new Plan.Placement(r, touched[chosen].name()));
    }
    return new Plan(placed, unplaced);
  }

  /**
   * Exact: the first feasible node in the snapshot's order that no earlier placement changed, or a better changed one.
   * A request of a group takes the feasible node holding fewest of its group first: the walk passes over nodes holding
   * as many as the best found, and ends at a feasible node holding none (most nodes hold none of a group).
   */
  private int walked(PlacementRequest r, ClusterSnapshot snapshot, Candidate[] touched, List<Integer> changed) {
    PlacementRequest.Group group = r.group();
    int best = -1;
    Candidate bestCandidate = null;
    int bestMembers = Integer.MAX_VALUE;
    for (int i : snapshot.order(strategy)) {
      if (touched[i] != null) continue;
      int members = group == null ? 0 : snapshot.nodes[i].members(group);
      if (members >= bestMembers) continue; // a node earlier in the order holds no more of the group
      Candidate c = new Candidate(snapshot.nodes[i]);
      if (firstVeto(r, c).isEmpty()) {
        best = i;
        bestCandidate = c;
        bestMembers = members;
        if (members == 0) break;
      }
    }
    for (int i : changed) {
      Candidate c = touched[i];
      if (firstVeto(r, c).isPresent()) continue;
      int members = group == null ? 0 : c.members(group);
      if (bestCandidate == null || members < bestMembers || (members == bestMembers && strategy.better(c, bestCandidate))) {
        best = i;
        bestCandidate = c;
        bestMembers = members;
      }
    }
    return best;
  }

  /** Random (or with soft expressions): feasible nodes from a random start, then the strategy among them. */
  private int sampled(PlacementRequest r, ClusterSnapshot.Node[] nodes, Candidate[] touched) {
    int limit = strategy.samples() ? FEASIBLE_SAMPLE : Integer.MAX_VALUE;
    List<Candidate> fits = new ArrayList<>();
    Map<Candidate, Integer> index = new IdentityHashMap<>();
    int start = nodes.length == 0 ? 0 : random.nextInt(nodes.length);
    for (int k = 0; k < nodes.length && fits.size() < limit; k++) {
      int i = (start + k) % nodes.length;
      Candidate c = touched[i] != null ? touched[i] : new Candidate(nodes[i]);
      if (firstVeto(r, c).isEmpty()) {
        fits.add(c);
        index.put(c, i);
      }
    }
    if (fits.isEmpty()) return -1;
    Candidate chosen = strategy.choose(fewestOfGroup(r, preferSoft(r, fits)), random);
    return index.get(chosen);
  }

  private static boolean hasSoft(PlacementRequest r) {
    for (Expr e : r.constraints()) if (e.soft()) return true;
    for (Expr e : r.affinities()) if (e.soft()) return true;
    return false;
  }

  /** How many feasible nodes a placement compares at most. */
  static final int FEASIBLE_SAMPLE = 64;

  private String explain(PlacementRequest r, ClusterSnapshot.Node[] nodes, Candidate[] touched) {
    Map<String, List<String>> vetoes = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      Candidate c = touched[i] != null ? touched[i] : new Candidate(nodes[i]);
      vetoes.computeIfAbsent(firstVeto(r, c).map(Veto::reason).orElse(null), k -> new ArrayList<>()).add(c.name().value());
    }
    return explain(nodes.length, vetoes);
  }

  private Optional<Veto> firstVeto(PlacementRequest r, Candidate c) {
    for (NodeFilter f : filters) {
      Optional<Veto> veto = f.check(r, c);
      if (veto.isPresent()) return veto;
    }
    return Optional.empty();
  }

  /** Applies soft constraints, then soft affinities, each only when some candidate meets it. */
  private static List<Candidate> preferSoft(PlacementRequest r, List<Candidate> fits) {
    List<Candidate> out = fits;
    for (Expr e : r.constraints()) {
      if (e.soft()) out = narrow(out, c -> ConstraintFilter.satisfied(e, c));
    }
    for (Expr e : r.affinities()) {
      if (e.soft()) out = narrow(out, c -> AffinityFilter.satisfied(e, c));
    }
    return out;
  }

  /** The candidates holding fewest of the request's group (all of them for a request in none). */
  private static List<Candidate> fewestOfGroup(PlacementRequest r, List<Candidate> fits) {
    if (r.group() == null) return fits;
    int fewest = Integer.MAX_VALUE;
    for (Candidate c : fits) fewest = Math.min(fewest, c.members(r.group()));
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : fits) if (c.members(r.group()) == fewest) out.add(c);
    return out;
  }

  private static List<Candidate> narrow(List<Candidate> in, Predicate<Candidate> test) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : in) if (test.test(c)) out.add(c);
    return out.isEmpty() ? in : out;
  }

  /** "no node fits: constraint disk==ssd not met (3 nodes); port 80/tcp in use on n2". */
  static String explain(int nodes, Map<String, List<String>> vetoes) {
    if (nodes == 0) return "no node fits: there are no nodes";
    List<String> parts = new ArrayList<>();
    vetoes.forEach((why, on) -> parts.add(why + (on.size() > 3 ? " (" + on.size() + " nodes)" : " on " + String.join(", ", on))));
    return "no node fits: " + String.join("; ", parts);
  }
}
