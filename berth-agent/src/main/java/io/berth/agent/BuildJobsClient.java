package io.berth.agent;

import io.berth.agent.build.BuildManager;
import io.berth.cluster.wire.BuildJobs;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;

/** The build node's calls ({@link BuildManager}) on the agent's manager client: whichever manager it talks to now. */
final class BuildJobsClient implements BuildManager {
  private final ManagerClient manager;

  BuildJobsClient(ManagerClient manager) {
    this.manager = manager;
  }

  @Override
  public BuildJobs jobs(long after) throws IOException {
    return manager.get("/v1/cluster/build-jobs?after=" + after, BuildJobs.class, WorkLoop.POLL_TIMEOUT);
  }

  @Override
  public void report(BuildReport report) throws IOException {
    manager.send("/v1/cluster/build-report", report);
  }

  /** A failed call suspects its manager; a move to another one ends the wait, so the retry goes there at once. */
  @Override
  public void pause(long millis) throws InterruptedException {
    manager.managers().awaitMove(manager.managers().moves(), millis);
  }
}
