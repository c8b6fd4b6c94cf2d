package io.berth.agent.build;

import io.berth.cluster.Refused;
import io.berth.cluster.wire.BuildJobs;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A manager that keeps the reports it gets, can be unreachable for a few calls, and refuses the runs it is told to. */
final class FakeBuildManager implements BuildManager {
  final List<BuildReport> got = new CopyOnWriteArrayList<>();
  final AtomicInteger unreachable = new AtomicInteger();
  final List<String> refused = new CopyOnWriteArrayList<>();

  @Override
  public BuildJobs jobs(long after) throws IOException {
    throw new ConnectException("no jobs here");
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
