package io.berth.agent;

import io.berth.agent.metrics.Sampler;
import io.berth.cluster.wire.MetricsBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each metrics batch to every manager the agent knows, in parallel: metrics live in each
 * manager's memory, and any manager's API shows the whole cluster's. The current manager is asked
 * first; the batch counts as sent when it took it. When it did not and the agent has moved since,
 * the batch is tried once on the new manager, then dropped: metrics are recent, not precious.
 */
final class MetricsFanOut implements Sampler.Sender {
  private static final Logger log = LoggerFactory.getLogger(MetricsFanOut.class);
  static final String PATH = "/v1/cluster/metrics";
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final ManagerClient client;

  MetricsFanOut(ManagerClient client) {
    this.client = client;
  }

  @Override
  public void send(MetricsBatch batch) throws IOException {
    ManagerSet managers = client.managers();
    String current = managers.current();
    List<String> targets = new ArrayList<>(managers.known());
    targets.remove(current);
    targets.add(0, current);
    IOException first = null;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> calls = new ArrayList<>();
      for (String to : targets) calls.add(pool.submit(() -> client.post(to, PATH, batch, Void.class, TIMEOUT)));
      try {
        calls.get(0).get();
        return; // the others finish, or time out, as the pool closes
      } catch (Exception e) {
        first = new IOException("manager " + current + ": " + Agent.describe(e), e);
      }
    }
    String now = managers.current();
    if (now.equals(current)) throw first;
    try {
      client.post(now, PATH, batch, Void.class, TIMEOUT);
    } catch (IOException | RuntimeException e) {
      log.warn("metrics-batch-dropped containers={} managers={},{}: {}", batch.containers().size(), current, now, Agent.describe(e));
    }
  }
}
