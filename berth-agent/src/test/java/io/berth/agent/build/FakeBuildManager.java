package io.berth.agent.build;

import io.berth.cluster.Refused;
import io.berth.cluster.wire.BuildJobs;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A manager that keeps the reports it gets, can be unreachable for a few calls, and refuses the runs it is told to. */
final class FakeBuildManager implements BuildManager {
  final List<BuildReport> got = new CopyOnWriteArrayList<>();
  final AtomicInteger unreachable = new AtomicInteger();
  final List<String> refused = new CopyOnWriteArrayList<>();

  /** The lists the manager hands out, one per poll; an empty queue holds the poll a while, then fails it. */
  final BlockingQueue<BuildJobs> lists = new LinkedBlockingQueue<>();
  final List<Long> asked = new CopyOnWriteArrayList<>();

  @Override
  public BuildJobs jobs(long after) throws IOException {
    asked.add(after);
    try {
      BuildJobs next = lists.poll(50, TimeUnit.MILLISECONDS);
      if (next == null) throw new ConnectException("no jobs here");
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void report(BuildReport report) throws IOException {
    if (unreachable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new ConnectException("connection refused");
    if (refused.contains(report.build())) throw new Refused(404, "no run " + report.build() + "#" + report.run());
    got.add(report);
  }

  @Override
  public void pause(long millis) throws InterruptedException {
    Thread.sleep(Math.min(millis, 20));
  }

  /** Every event delivered for {@code build}, in order. */
  List<BuildReport.Event> events(String build) {
    return got.stream().filter(r -> r.build().equals(build)).flatMap(r -> r.events().stream()).toList();
  }

  /** The result delivered for {@code build}, or null. */
  BuildReport.Result result(String build) {
    return got.stream().filter(r -> r.build().equals(build) && r.result() != null).map(BuildReport::result).findFirst().orElse(null);
  }
}
