package io.berth.store;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts the etcd members that answer: the member list once, then a status call to each member
 * at once, each step waiting at most {@link #TIMEOUT_MS}. A majority answering is a quorum; fewer
 * is the sentence {@code store has no quorum: N of M members answer}.
 *
 * <p>It has a client of its own that does not wait for a connection: jetcd opens a channel per
 * status call and shuts it when the call ends, so a call to a dead member must end, not wait.
 */
final class EtcdHealth implements AutoCloseable {
  static final long TIMEOUT_MS = 1_000;

  private final Client client;
  private final List<String> endpoints;
  private volatile Counted last;

  EtcdHealth(List<String> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.client = Client.builder()
        .endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new))
        .waitForReady(false)
        .connectTimeout(Duration.ofMillis(TIMEOUT_MS))
        .build();
  }

  /**
   * The last count if it found no quorum less than {@link #TIMEOUT_MS} ago, else a new one: while
   * the quorum is gone every call asks, and they need not all count the members again; a count
   * that found a quorum is never reused, so a call is never told "ok" about a quorum just lost.
   */
  StoreHealth recent() {
    Counted last = this.last;
    if (last != null && !last.health().ok()
        && System.nanoTime() - last.atNanos() < TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)) {
      return last.health();
    }
    return check();
  }

  /** Counts the members that answer now. */
  StoreHealth check() {
    StoreHealth health = count();
    last = new Counted(health, System.nanoTime());
    return health;
  }

  private record Counted(StoreHealth health, long atNanos) {}

  private StoreHealth count() {
    // A member answers the member list from its own copy, without quorum. Each member is asked
    // at the addresses it advertises and at those we were given (a member may advertise one we
    // cannot reach, such as localhost); the member id in each answer says who answered.
    Optional<List<Member>> listed = members();
    Set<String> targets = new LinkedHashSet<>();
    listed.ifPresent(members -> members.forEach(m -> m.getClientURIs().forEach(u -> targets.add(u.getAuthority()))));
    targets.addAll(endpoints);
    List<CompletableFuture<StatusResponse>> statuses = new ArrayList<>();
    for (String target : targets) {
      statuses.add(client.getMaintenanceClient().statusMember(target));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    Set<Long> answering = new HashSet<>();
    for (CompletableFuture<StatusResponse> status : statuses) {
      answered(status, deadline).ifPresent(r -> answering.add(r.getHeader().getMemberId()));
    }
    int members = listed.map(List::size).orElse(endpoints.size());
    return StoreHealth.of(Math.min(answering.size(), members), members);
  }

  /** The cluster's members, or empty when no member answers. */
  private Optional<List<Member>> members() {
    try {
      return Optional.of(client.getClusterClient().listMember().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).getMembers());
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<StatusResponse> answered(CompletableFuture<StatusResponse> status, long deadline) {
    try {
      return Optional.of(status.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      status.cancel(true);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
