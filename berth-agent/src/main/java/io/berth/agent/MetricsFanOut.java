package io.berth.agent;

import io.berth.agent.metrics.Sampler;
import io.berth.cluster.wire.MetricsBatch;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each metrics batch to every manager the agent knows, in parallel: metrics live in each
 * manager's memory, and any manager's API shows the whole cluster's. The current manager is asked
 * first (the others' calls start first but are not waited for); the batch counts as sent when it
 * took it. When it did not and the agent moves on meanwhile, the batch is tried once on the new
 * manager, then dropped with a log line: metrics are recent, not precious. A manager files a batch
 * by its time slot, so one that gets it twice keeps one.
 */
final class MetricsFanOut implements Sampler.Sender {
  private static final Logger log = LoggerFactory.getLogger(MetricsFanOut.class);
  static final String PATH = "/v1/cluster/metrics";
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** How long a batch the current manager did not take waits for the agent to move (beat timeout + jitter). */
  static final Duration MOVE_WAIT = Duration.ofMillis(1500);
  private final ManagerClient client;

  MetricsFanOut(ManagerClient client) {
    this.client = client;
  }

  @Override
  public void send(MetricsBatch batch) throws Exception {
    ManagerSet managers = client.managers();
    String current = managers.current();
    long seen = managers.moves();
    for (String other : managers.known()) {
      // best effort, not waited for: a dead manager costs its own call's timeout, never the next batch
      if (!other.equals(current)) Thread.ofVirtual().name("agent-metrics-" + other).start(() -> quietly(other, batch));
    }
    try {
      client.post(current, PATH, batch, Void.class, TIMEOUT);
      return;
    } catch (IOException | RuntimeException failed) {
      managers.awaitMove(seen, MOVE_WAIT.toMillis()); // the failed call made the heartbeat check that manager
      if (managers.moves() == seen) throw failed;
    }
    String now = managers.current();
    try {
      client.post(now, PATH, batch, Void.class, TIMEOUT);
    } catch (IOException | RuntimeException e) {
      log.warn("metrics-batch-dropped containers={} managers={},{}: {}", batch.containers().size(), current, now, Agent.describe(e));
    }
  }

  private void quietly(String to, MetricsBatch batch) {
    try {
      client.post(to, PATH, batch, Void.class, TIMEOUT);
    } catch (IOException | RuntimeException e) {
      // that manager misses this batch; the next comes within the interval
    }
  }
}
