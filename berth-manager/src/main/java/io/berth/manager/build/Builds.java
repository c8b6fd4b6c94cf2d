package io.berth.manager.build;

import io.berth.cluster.loop.LoopTime;
import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildJobs;
import io.berth.cluster.wire.BuildReport;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.manager.activity.Activity;
import io.berth.manager.app.AppService;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.leader.Singletons;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Code builds (docs/builds.md): the {@code /v1/builds…} routes, the build nodes' routes on the cluster
 * endpoint, and the leader's {@link BuildPlacer}. Everything lives in the store, so every manager
 * serves every route and a node may report to any manager.
 */
public final class Builds implements AutoCloseable {
  private final BuildStore store;
  private final BuildPlacer placer;
  private final BuildJobsFeed feed;
  private final BuildApi api;
  private final RunApi runApi;
  private final BuildHooks hooks;
  private final BuildReports reports;

  /** How the manager's registry serves builds: who may push where, the push credentials, and its {@code host:port}. */
  public interface Registry {
    boolean claimPush(Principal p, String repository);

    String pushAuth(String user, String repository, Duration ttl);

    Optional<String> address();
  }

  /** Makes a new version of {@code app} with {@code image}, as {@code user}; returns what it started ("canary deploy of v3"). */
  @FunctionalInterface
  public interface Deployer {
    String deploy(String app, String image, String user);
  }

  private Builds(StateStore raw, Singletons leader, Supplier<List<Node>> nodes, Access access, Registry registry,
                 Deployer deployer, Activity activity, Clock clock, LoopTime time) {
    this.store = new BuildStore(raw);
    this.placer = new BuildPlacer(store, leader, nodes, (b, r) -> job(b, r, registry.address()), activity, clock, time);
    this.feed = new BuildJobsFeed(store, registry.address().isPresent() ? registry::pushAuth : null);
    BuildRuns runs = new BuildRuns(store, clock, placer::signal);
    this.api = new BuildApi(store, access, clock, registry::claimPush);
    this.runApi = new RunApi(store, access, runs, registry::claimPush);
    this.hooks = new BuildHooks(store, runs);
    this.reports = new BuildReports(store, clock, deployer, activity);
  }

  /** Deploys through {@code apps}: a new version with the image replaced and the rest of the current manifest, in the app's strategy. */
  public static Deployer deployer(AppService apps) {
    return (app, image, user) -> {
      AppService.Deployed d = apps.deploy("name: " + app + "\nimage: " + image + "\n", user, false);
      return d.app().rollout().strategy().toString().toLowerCase(Locale.ROOT) + " deploy of " + app + " v" + d.version().version()
          + " with " + image;
    };
  }

  /** Records a run's end in the activity log: {@code build-run-ok}, {@code build-run-failed}, {@code build-run-cancelled}. */
  static void recordEnd(Activity activity, Run r) {
    if (activity == null || r == null || !r.ended()) return;
    activity.record("build-run-" + r.state(), "build/" + r.build(), "build " + r.build() + " run " + r.number() + " " + r.state()
        + (r.failedStep() == null ? "" : " at " + r.failedStep()) + (r.message() == null ? "" : ": " + r.message())
        + (Run.OK.equals(r.state()) && r.image() != null ? ", image " + r.image() : ""));
  }

  /** Starts the placer (it passes on the leader only) and the jobs' feed. */
  public static Builds start(StateStore raw, Singletons leader, Supplier<List<Node>> nodes, Access access, Registry registry,
                             Deployer deployer, Activity activity, Clock clock) {
    return start(raw, leader, nodes, access, registry, deployer, activity, clock, LoopTime.SYSTEM);
  }

  static Builds start(StateStore raw, Singletons leader, Supplier<List<Node>> nodes, Access access, Registry registry,
                      Deployer deployer, Activity activity, Clock clock, LoopTime time) {
    Builds b = new Builds(raw, leader, nodes, access, registry, deployer, activity, clock, time);
    b.feed.start();
    b.placer.start();
    return b;
  }

  /** The run's job as its node gets it: the image with the registry's host, and the ref to build. */
  static BuildJob job(Build b, Run r, Optional<String> registry) {
    String image = registry.map(host -> host + "/" + b.image()).orElse(b.image());
    return new BuildJob(b.name(), r.number(), b.gitUrl(), r.ref(), b.dockerfile(), b.context(), image, r.tag(), b.caches(),
        Boolean.TRUE.equals(r.noCache()), BuildPlacer.timeout(b), null);
  }

  public Routes addApiRoutes(Routes routes) {
    hooks.addRoutes(runApi.addRoutes(api.addRoutes(routes)));
    return routes;
  }

  /** {@code GET /v1/cluster/build-jobs?after=REV} and {@code POST /v1/cluster/build-report}, for the node named by {@code node}. */
  public BuildJobs poll(String node, long after, Duration wait) throws InterruptedException {
    return feed.poll(node, after, wait);
  }

  public void report(String node, BuildReport report) {
    reports.accept(node, report);
  }

  /** Asks the placer for a pass (a change of leader). */
  public void signal() {
    placer.signal();
  }

  @Override
  public void close() {
    placer.close();
    feed.close();
  }
}
