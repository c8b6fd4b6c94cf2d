package io.berth.agent.build;

import io.berth.cluster.wire.BuildJobs;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;

/**
 * The manager as a build node sees it: the node's build jobs ({@code GET /v1/cluster/build-jobs})
 * and where its runs' reports go ({@code POST /v1/cluster/build-report}). The agent answers with
 * whichever manager it talks to now, so a build outlives a move to another manager.
 */
public interface BuildManager {
  /** The node's whole list of jobs once it changed past {@code after} (a long poll). */
  BuildJobs jobs(long after) throws IOException;

  /** Delivers one batch of a run's report. */
  void report(BuildReport report) throws IOException;

  /** Waits before a retry up to {@code millis}, less when the agent moved to another manager. */
  void pause(long millis) throws InterruptedException;
}
