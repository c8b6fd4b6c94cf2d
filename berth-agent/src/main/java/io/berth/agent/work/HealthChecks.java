package io.berth.agent.work;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.HealthCheck;
import io.berth.core.lrp.PortMapping;
import io.berth.engine.EngineException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's health checks, one step at a time: whether its action has started, then its
 * monitor script, TCP or HTTP check; the first success reports RUNNING, and a healthy instance
 * that fails {@value #FAILURES_TO_CRASH} checks in a row is crashed.
 */
final class HealthChecks {
  private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  private final Executor x;
  private final InstanceSteps steps;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  HealthChecks(Executor x, InstanceSteps steps) {
    this.x = x;
    this.steps = steps;
  }

  /** One health check; the first success reports RUNNING, a failure after it CRASHED. */
  void check(Instance i, long now) {
    Assignment a = i.assignment;
    boolean ok = healthy(i);
    long t = x.nanos.getAsLong();
    if (!ok && x.exits.hasDied(i.containerId)) return; // it died: the exit, not the check, says why
    if (ok) {
      i.failuresInARow = 0;
      if (!i.healthy) {
        i.healthy = true;
        x.set(i, InstanceSteps.report(i, InstanceReport.RUNNING, i.ports, "", false, ""));
      }
      HealthCheck hc = a.healthCheck();
      i.nextCheckNanos = t + (hc != null && hc.intervalMs() != null ? hc.intervalMs() * 1_000_000L
          : x.config.healthyInterval().toNanos());
      if (a.monitor() == null && a.healthCheck() == null) i.nextCheckNanos = Long.MAX_VALUE; // nothing to check again
      return;
    }
    if (i.healthy) {
      // One slow answer under load is not a dead instance: as Kubernetes' failureThreshold, only
      // FAILURES_TO_CRASH checks in a row crash it (they come one interval apart).
      if (++i.failuresInARow >= FAILURES_TO_CRASH) {
        steps.crash(i, "failed health check " + FAILURES_TO_CRASH + " times in a row");
      } else {
        HealthCheck hc = a.healthCheck();
        long interval = hc != null && hc.intervalMs() != null ? hc.intervalMs() * 1_000_000L : x.config.unhealthyInterval().toNanos();
        i.nextCheckNanos = t + interval;
      }
    } else if (!i.isTask() && a.startTimeout() > 0 && t - i.startedNanos >= a.startTimeout() * 1_000_000_000L) {
      steps.crash(i, "start timeout");
    } else {
      // An instance that is not healthy yet is checked again soon, then less often, up to Diego's
      // 0.5 s: most start within a few hundred ms, and waiting a whole interval doubles that.
      long backoff = FIRST_RECHECK_NANOS << Math.min(i.failedChecks++, 8);
      i.nextCheckNanos = t + Math.min(backoff, x.config.unhealthyInterval().toNanos());
    }
  }

  static final long FIRST_RECHECK_NANOS = 50_000_000L;
  /** A healthy instance is crashed after this many failed checks in a row. */
  static final int FAILURES_TO_CRASH = 3;

  private boolean healthy(Instance i) {
    if (!i.actionStarted) {
      i.actionStarted = steps.readFile(i.containerId, ScriptCompiler.STARTED).isPresent();
      if (!i.actionStarted) return false;
    }
    Assignment a = i.assignment;
    if (i.isTask()) return true;
    if (a.monitor() != null) {
      try {
        var r = x.engine.exec(i.containerId, List.of(ScriptCompiler.BUSYBOX, "sh", ScriptCompiler.MONITOR), CHECK_TIMEOUT);
        if (r.exitCode() != 0) log.debug("instance-monitor-failed instance={} status={} output={}", i.guid, r.exitCode(), r.output());
        return r.exitCode() == 0;
      } catch (EngineException e) {
        return false;
      }
    }
    if (a.healthCheck() != null) return probe(i, a.healthCheck());
    return true;
  }

  private boolean probe(Instance i, HealthCheck hc) {
    Optional<PortMapping> port = i.ports.stream().filter(p -> p.containerPort() == hc.port()).findFirst();
    if (port.isEmpty()) return false;
    String host = x.config.nodeIp();
    int hostPort = port.get().hostPort();
    if (hc.type() == HealthCheck.Kind.TCP) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, hostPort), timeoutMs(hc));
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    String path = hc.path() == null || hc.path().isEmpty() ? "/" : hc.path().startsWith("/") ? hc.path() : "/" + hc.path();
    try {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + hostPort + path))
          .timeout(Duration.ofMillis(timeoutMs(hc))).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int timeoutMs(HealthCheck hc) {
    return hc.timeoutMs() != null && hc.timeoutMs() > 0 ? hc.timeoutMs() : 1000;
  }
}
