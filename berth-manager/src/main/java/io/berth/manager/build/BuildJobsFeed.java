package io.berth.manager.build;

import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildJobs;
import io.berth.manager.feed.LongPoll;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each build node's jobs as a long poll ({@code GET /v1/cluster/build-jobs?after=REV}), on the same
 * {@link LongPoll} as the LRP assignments: the node's whole list when it changed after {@code after},
 * or after the wait with the same list. Each answer carries push credentials minted afresh, valid for
 * the rest of the run's time, so no credential is kept in the store.
 */
final class BuildJobsFeed implements AutoCloseable {
  static final int MAX = 10_000;
  private final BuildStore store;
  private final PushAuth auth;
  private final LongPoll feed;

  /** Mints the {@code X-Registry-Auth} a run pushes with; null when no registry runs. */
  @FunctionalInterface
  interface PushAuth {
    String header(String user, String repository, Duration ttl);
  }

  BuildJobsFeed(BuildStore store, PushAuth auth) {
    this.store = store;
    this.auth = auth;
    this.feed = new LongPoll(store.raw(), BuildStore.JOBS, e -> {});
  }

  void start() {
    feed.start(1);
  }

  BuildJobs poll(String node, long after, Duration wait) throws InterruptedException {
    Page page = feed.poll(node, after, wait, () -> store.raw().range(BuildStore.JOBS + node + "/", MAX));
    List<BuildJob> out = new ArrayList<>();
    for (KeyValue kv : page.items()) out.add(withAuth(BuildStore.job(kv)));
    return new BuildJobs(page.revision(), out);
  }

  private BuildJob withAuth(BuildJob j) {
    Optional<Run> run = store.run(j.build(), j.run());
    Optional<Build> build = store.find(j.build());
    if (auth == null || run.isEmpty() || build.isEmpty() || run.get().startedAt() == null) return j;
    Duration ttl = Duration.ofSeconds(j.timeoutSeconds()).plus(Duration.ofMinutes(2));
    return new BuildJob(j.build(), j.run(), j.gitUrl(), j.ref(), j.dockerfile(), j.context(), j.image(), j.tag(), j.caches(), j.noCache(),
        j.timeoutSeconds(), auth.header(run.get().user(), build.get().image(), ttl));
  }

  @Override
  public void close() {
    feed.close();
  }
}
