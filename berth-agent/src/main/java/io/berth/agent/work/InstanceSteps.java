package io.berth.agent.work;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.PortMapping;
import io.berth.engine.ContainerDetails;
import io.berth.engine.ContainerSummary;
import io.berth.engine.EngineException;
import io.berth.engine.TarReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps the {@link Executor} takes for one instance: create, adopt, check (by {@link HealthChecks}),
 * crash, restart in place, finish, discard. Each runs on its own thread with the instance to itself.
 */
final class InstanceSteps {
  private static final Logger log = LoggerFactory.getLogger(InstanceSteps.class);
  static final int MAX_RESULT = 10 * 1024; // Diego returns the first 10 KB of a task's result file
  private static final int START_ATTEMPTS = 3;

  private final Executor x;
  private final HostPorts hostPorts;
  private final Fetcher fetcher;
  private final HealthChecks checks;
  private final Uploads uploads;
  final InstanceDirs dirs;

  InstanceSteps(Executor x, HostPorts hostPorts, Fetcher fetcher) {
    this.x = x;
    this.dirs = new InstanceDirs(x.config.dataDir());
    this.hostPorts = hostPorts;
    this.fetcher = fetcher;
    this.checks = new HealthChecks(x, this);
    this.uploads = new Uploads(x.engine, x.config.dataDir().resolve("tmp"));
  }

  /** The node's busybox to bind-mount into containers, when the engine shares this host's files; else null (copied in). */
  private Path boundBusybox() {
    if (!x.engine.sharesHostFiles()) return null;
    try {
      return x.config.busybox().toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /** Reports CLAIMED, fetches the downloads, creates the container with the scripts in it and starts it. */
  void create(Instance i, Set<Integer> held) {
    Assignment a = i.assignment;
    x.set(i, report(i, InstanceReport.CLAIMED, List.of(), "", false, ""));
    List<PortMapping> ports = new ArrayList<>();
    List<Integer> picked = hostPorts.pick(a.ports().size(), held);
    for (int k = 0; k < a.ports().size(); k++) ports.add(new PortMapping(a.ports().get(k), picked.get(k)));
    boolean lrp = !i.isTask();
    var main = ScriptCompiler.main(a.setup(), a.action(), lrp && a.monitor() != null, a.logSource());
    var monitor = a.monitor() == null ? null : ScriptCompiler.monitor(a.monitor(), a.logSource());
    long t0 = System.nanoTime();
    try {
      ImagePull.ensure(x.engine, x.registryAuth, i.guid, a.image());
    } catch (EngineException e) {
      fail(i, "cannot pull image " + a.image() + ": " + e.getMessage());
      return;
    }
    long imaged = System.nanoTime();
    Path bound = boundBusybox();
    ContainerFiles files = new ContainerFiles(x.engine, fetcher);
    Path dir;
    try {
      dir = bound == null ? null : dirs.prepare(i.guid, main, monitor);
      if (dir != null) files.writeIn(dir, main, monitor);
    } catch (IOException e) {
      fail(i, "cannot prepare container: " + e.getMessage());
      return;
    }
    long prepared = System.nanoTime();
    String id = created(i, ports, bound, dir);
    if (id == null) return;
    long made = System.nanoTime();
    try {
      if (dir == null) files.copyIn(id, main, monitor, x.config.busybox());
      x.engine.start(id);
    } catch (EngineException e) {
      removeQuietly(id);
      i.containerId = null;
      if (e.reason() == EngineException.Reason.PORT_IN_USE && ++i.startFailures < START_ATTEMPTS) {
        log.info("instance-port-taken instance={}: {} (trying other ports)", i.guid, e.getMessage());
        return;
      }
      fail(i, "cannot start container: " + e.getMessage());
      return;
    } catch (IOException e) {
      removeQuietly(id);
      i.containerId = null;
      fail(i, "cannot prepare container: " + e.getMessage());
      return;
    }
    started(i, id, t0, " image_ms=" + millis(imaged - t0) + " prepare_ms=" + millis(prepared - imaged) + " create_ms="
        + millis(made - prepared) + " start_ms=" + millis(System.nanoTime() - made));
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /** Creates the instance's container and records it with its ports; null, with the instance failed, when it cannot. */
  private String created(Instance i, List<PortMapping> ports, Path bound, Path dir) {
    String id;
    try {
      id = x.engine.create(ContainerPlan.spec(i.assignment, x.config.nodeIp(), ports, bound, dir));
    } catch (EngineException e) {
      fail(i, "cannot create container: " + e.getMessage());
      return null;
    }
    i.containerId = id;
    i.ports = List.copyOf(ports);
    return id;
  }

  /** {@code parts}: where a create's time went (the image, the instance's files, the engine's create and start), for the benchmarks. */
  private void started(Instance i, String id, long t0, String parts) {
    i.startedNanos = x.nanos.getAsLong();
    i.nextCheckNanos = i.startedNanos; // the next pass checks at once
    // Without a setup the action begins as the container starts: no need to read the script's mark.
    if (i.assignment.setup() == null) i.actionStarted = true;
    log.info("instance-started instance={} container={} ms={}{}", i.guid, id, millis(System.nanoTime() - t0), parts);
  }

  /**
   * A crashed LRP instance the manager asked to start again: in place when its {@code /.berth} is a directory
   * here (the last run's files cleared first); else its container is removed and the next pass makes one.
   */
  void restart(Instance i, ContainerSummary c) {
    long t0 = System.nanoTime();
    i.newRun();
    x.set(i, report(i, InstanceReport.CLAIMED, List.of(), "", false, ""));
    // Docker lists a dead container as running until its cleanup is done (Exits); a start waits for that.
    boolean stopped = c != null && (!c.state().equals("running") || x.exits.hasDied(c.id()));
    if (stopped && dirs.has(i.guid)) {
      try {
        dirs.clearRun(i.guid);
        x.exits.restarting(c.id());
        x.engine.start(c.id());
        i.containerId = c.id();
        started(i, c.id(), t0, "");
        log.info("instance-restarted instance={} container={} run={} (in place)", i.guid, c.id(), i.run);
        return;
      } catch (IOException | EngineException e) {
        log.info("instance-restart-in-place-failed instance={}: {} (making a new container)", i.guid, e.getMessage());
      }
    }
    if (c != null) removeQuietly(c.id());
    i.containerId = null; // the next pass creates it
  }

  /** A container found for an assigned guid the executor does not know: an agent restart. */
  void adopt(Instance i, ContainerSummary c) {
    i.containerId = c.id();
    i.ports = ContainerPlan.ports(c.labels());
    i.startedNanos = x.nanos.getAsLong(); // its start timeout counts again from the adoption
    log.info("instance-adopted instance={} container={} state={}", i.guid, c.id(), c.state());
    switch (c.state()) {
      case "running" -> check(i, i.startedNanos);
      case "created" -> discard(i, c);
      default -> exited(i, c);
    }
  }

  /** One health check ({@link HealthChecks#check}). */
  void check(Instance i, long now) {
    checks.check(i, now);
  }

  /** Makes the uploads the instance's script asks for now, from the node ({@link Uploads}). */
  void upload(Instance i) {
    uploads.serve(i, i.sends);
  }

  /** The container's process ended: an LRP crashed, a task completed. */
  void exited(Instance i, ContainerSummary c) {
    long t0 = System.nanoTime();
    Optional<ContainerDetails> d = x.engine.inspect(c.id());
    int status = d.map(ContainerDetails::exitCode).orElse(-1);
    String reason = (dirs.has(i.guid) ? dirs.read(i.guid, ScriptCompiler.REASON) : readFile(c.id(), ScriptCompiler.REASON)).map(b -> new String(b, StandardCharsets.UTF_8).trim())
        .filter(s -> !s.isEmpty()).orElse("exited with status " + status);
    if (!reason.startsWith("setup failed") && status >= 0) reason = "exited with status " + status; // killed after writing
    i.containerId = c.id();
    if (i.isTask()) {
      boolean failed = status != 0;
      String result = "";
      String file = i.assignment.resultFile();
      if (!failed && file != null && !file.isBlank()) {
        Optional<byte[]> content = readFile(c.id(), file);
        if (content.isEmpty()) {
          failed = true;
          reason = "failed to read result file " + file;
        } else {
          byte[] b = content.get();
          result = new String(b.length > MAX_RESULT ? Arrays.copyOf(b, MAX_RESULT) : b, StandardCharsets.UTF_8);
        }
      }
      x.set(i, report(i, InstanceReport.COMPLETED, List.of(), failed ? reason : "", failed, result));
    } else {
      x.set(i, report(i, InstanceReport.CRASHED, List.of(), reason, false, ""));
    }
    log.debug("instance-exit-read instance={} ms={}", i.guid, (System.nanoTime() - t0) / 1_000_000);
  }

  /** An LRP whose action had begun died (the engine's event said so): CRASHED with its status. */
  void died(Instance i, int status) {
    x.set(i, report(i, InstanceReport.CRASHED, List.of(), "exited with status " + status, false, ""));
  }

  /** The container the executor made is gone without it removing it (someone ran docker rm -f). */
  void vanished(Instance i) {
    fail(i, "container " + i.containerId + " disappeared");
  }

  /** An LRP found unhealthy: report CRASHED, then stop its container at once. */
  void crash(Instance i, String reason) {
    x.set(i, report(i, InstanceReport.CRASHED, List.of(), reason, false, ""));
    try {
      x.engine.stop(i.containerId, (int) x.config.stopGrace().toSeconds());
    } catch (EngineException e) {
      log.warn("instance-stop-failed instance={}: {}", i.guid, e.getMessage());
    }
  }

  /** A final state with no container to show for it (creation failed, container vanished). */
  private void fail(Instance i, String reason) {
    if (i.isTask()) {
      x.set(i, report(i, InstanceReport.COMPLETED, List.of(), reason, true, ""));
    } else {
      x.set(i, report(i, InstanceReport.CRASHED, List.of(), reason, false, ""));
    }
  }

  /** Removes the container of a finished instance, or one that was never started. */
  void discard(Instance i, ContainerSummary c) {
    log.info("instance-container-removed instance={} container={}", i.guid, c.id());
    removeQuietly(c.id());
    dirs.remove(i.guid);
    if (!i.isFinal()) i.containerId = null; // never started: create it again
  }

  /** A container nobody assigns anymore: stop it with the grace period, then remove it. */
  void removeUnassigned(String guid, ContainerSummary c) {
    log.info("instance-unassigned instance={} container={}", guid, c.id());
    try {
      if (c.state().equals("running")) x.engine.stop(c.id(), (int) x.config.stopGrace().toSeconds());
      x.engine.remove(c.id(), true);
    } catch (EngineException e) {
      if (e.status() != 404) throw e;
    }
    dirs.remove(guid);
  }

  private void removeQuietly(String id) {
    try {
      x.engine.remove(id, true);
    } catch (EngineException e) {
      if (e.status() != 404) log.warn("instance-remove-failed container={}: {}", id, e.getMessage());
    }
  }

  /** A file of a container (running or not), or empty when it is not there. */
  Optional<byte[]> readFile(String id, String path) {
    try {
      return TarReader.read(x.engine.getArchive(id, path)).stream().filter(TarReader.Entry::isFile)
          .findFirst().map(TarReader.Entry::content);
    } catch (EngineException e) {
      if (e.status() == 404) return Optional.empty();
      throw e;
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static InstanceReport report(Instance i, String state, List<PortMapping> ports, String reason, boolean failed, String result) {
    Assignment a = i.assignment;
    return new InstanceReport(a.kind(), a.instanceGuid(), a.processGuid(), a.index(), state, ports, reason, failed, result, i.run);
  }
}
