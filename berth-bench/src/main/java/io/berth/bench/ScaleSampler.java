package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at an app every {@link #EVERY_MS} ms on a thread of its own, from a step on: the instances
 * it wants and those a router sends traffic (the manager's API), and which instance answers one request
 * through nginx for {@code /}, whose body is the instance's index.
 */
final class ScaleSampler implements AutoCloseable {
  static final long EVERY_MS = 200;
  private final AppBench.Cluster cluster;
  private final String app;
  private final String host;
  private final long stepNanos = System.nanoTime();
  private final Instant step = Instant.now();
  private final List<ScaleTimeline.Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long probes;

  private ScaleSampler(AppBench.Cluster cluster, String app, String host) {
    this.cluster = cluster;
    this.app = app;
    this.host = host;
    this.thread = Thread.ofPlatform().name("scale-sampler-" + app).daemon().start(this::loop);
  }

  /** Starts sampling {@code app}, served as {@code host}; the step is now. */
  static ScaleSampler start(AppBench.Cluster cluster, String app, String host) {
    return new ScaleSampler(cluster, app, host);
  }

  /** When the step was, on the wall clock (the app's events carry wall-clock times). */
  Instant step() {
    return step;
  }

  /** Seconds since the step. */
  double now() {
    return (System.nanoTime() - stepNanos) / 1e9;
  }

  /** Requests the probes sent through nginx so far (they count in the router's numbers too). */
  long probes() {
    return probes;
  }

  /** The samples so far, in time order. */
  List<ScaleTimeline.Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The newest sample, or null before the first. */
  ScaleTimeline.Sample latest() {
    synchronized (samples) {
      return samples.isEmpty() ? null : samples.getLast();
    }
  }

  private void loop() {
    while (!stopped) {
      try {
        String body = BerthJar.get(cluster.api(), cluster.data(), "/v1/apps/" + app);
        String instances = BerthJar.get(cluster.api(), cluster.data(), "/v1/apps/" + app + "/instances");
        if (body != null && instances != null) {
          JsonNode a = Json.MAPPER.readTree(body);
          // An instance's own routed flag (a router sends it traffic), not a version's routed count: that
          // is only the bound below which indexes may be routed once healthy, and moves with the decision.
          int routed = 0;
          for (JsonNode i : Json.MAPPER.readTree(instances)) if (i.path("routed").asBoolean()) routed++;
          int served = probe();
          ScaleTimeline.Sample s = new ScaleTimeline.Sample(now(), a.path("instances").asInt(), routed, served);
          synchronized (samples) {
            samples.add(s);
          }
        }
        Thread.sleep(EVERY_MS);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) { // a sample missed: the next one looks again
        continue;
      }
    }
  }

  /** The index of the instance that answered through nginx, or -1 (no answer, or not an index: a 502 page). */
  private int probe() {
    probes++;
    try {
      return Integer.parseInt(AppBench.once(cluster.routerPort(), host, "/"));
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(5000);
  }
}
