package io.berth.agent.build;

import io.berth.agent.work.RegistryAuth;
import io.berth.cluster.wire.BuildJob;
import io.berth.engine.ContainerDetails;
import io.berth.engine.ContainerEngine;
import io.berth.engine.ContainerSpec;
import io.berth.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The prepare step: each step of {@code berth-build.yml} runs as a container on the node's engine,
 * {@code /bin/sh -c} with {@code set -e} in {@code /workspace} (the checkout, bind-mounted), its
 * caches mounted ({@link Workspace#mounts}). The container writes its output to a file in the
 * build's {@code logs} directory, which the agent follows into the run's log, and the step ends
 * when the container does: a non-zero exit fails it. A stop removes the container at once.
 */
final class PrepareSteps {
  static final long POLL_MILLIS = 200;
  private static final String LOG_MOUNT = "/.berth-log";
  private final ContainerEngine engine;
  private final RegistryAuth auth;

  PrepareSteps(ContainerEngine engine, RegistryAuth auth) {
    this.engine = engine;
    this.auth = auth;
  }

  void run(BuildJob job, Workspace ws, BuildFile file, Consumer<String> out, RunControl control) throws StepFailed {
    if (!engine.sharesHostFiles()) {
      throw new StepFailed("prepare steps mount the checkout, so they need the node's engine on this host (a unix:// engine), not " + engine);
    }
    for (int i = 0; i < file.steps().size(); i++) {
      BuildFile.Step step = file.steps().get(i);
      out.accept("--- " + step.name() + " (" + step.image() + ")");
      runOne(job, ws, step, i + 1, out, control);
    }
  }

  private void runOne(BuildJob job, Workspace ws, BuildFile.Step step, int index, Consumer<String> out, RunControl control)
      throws StepFailed {
    control.check();
    List<String> caches = new ArrayList<>(new LinkedHashSet<>(job.caches()));
    step.caches().stream().filter(c -> !caches.contains(c)).forEach(caches::add);
    List<String> binds = new ArrayList<>(List.of(ws.src() + ":" + Workspace.MOUNT, ws.logs() + ":" + LOG_MOUNT));
    ws.mounts(caches, job.noCache()).forEach(m -> binds.add(m.bind()));
    Path logFile = ws.logs().resolve(index + ".log");
    try {
      Files.createDirectories(ws.logs());
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      throw new StepFailed("cannot prepare the step's log " + logFile + ": " + e.getMessage());
    }
    String name = "berth-build-" + job.build() + "-" + job.run() + "-" + index;
    String id;
    try {
      pullIfMissing(step.image(), out);
      engine.inspect(name).ifPresent(old -> engine.remove(old.id(), true)); // left by an agent that stopped mid-run
      id = engine.create(spec(job, step, name, index, binds, owner(ws)));
    } catch (EngineException e) {
      throw new StepFailed(step.name() + ": " + e.getMessage());
    }
    control.onStop(() -> removeQuietly(id));
    try {
      engine.start(id);
      int status = await(id, new LogTail(logFile, out));
      control.check();
      if (status != 0) throw new StepFailed(step.name() + " exited with " + status);
    } catch (EngineException e) {
      control.check();
      throw new StepFailed(step.name() + ": " + e.getMessage());
    } finally {
      control.onStop(null);
      removeQuietly(id);
    }
  }

  private ContainerSpec spec(BuildJob job, BuildFile.Step step, String name, int index, List<String> binds, String owner) {
    List<String> mounted = binds.stream().map(b -> b.substring(b.indexOf(':') + 1)).toList();
    // An agent that is not root (berth dev) must be able to clean what the step's root wrote.
    String chown = owner == null ? "" : "trap 'chown -R " + owner + " " + String.join(" ", mounted) + " 2>/dev/null || true' EXIT\n";
    String script = "exec >" + LOG_MOUNT + "/" + index + ".log 2>&1\n" + chown + "set -e\ncd " + Workspace.MOUNT + "\n" + step.run();
    List<String> env = new ArrayList<>(List.of("BERTH_BUILD=" + job.build(), "BERTH_RUN=" + job.run()));
    step.env().forEach((k, v) -> env.add(k + "=" + v));
    return new ContainerSpec(name, step.image(), List.of("/bin/sh", "-c"), List.of(script), env,
        Map.of("berth.build", job.build(), "berth.build.run", Integer.toString(job.run())), 0, 0, 0, false, Map.of(), "", binds);
  }

  /** {@code UID:GID} of the agent's files when it is not root, else null. */
  private static String owner(Workspace ws) {
    try {
      int uid = (Integer) Files.getAttribute(ws.root(), "unix:uid");
      return uid == 0 ? null : uid + ":" + Files.getAttribute(ws.root(), "unix:gid");
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Follows the output until the container ends; its exit code (-1 when it vanished, as a stop's removal makes it). */
  private int await(String id, LogTail tail) throws StepFailed {
    try {
      while (true) {
        Optional<ContainerDetails> d = engine.inspect(id);
        boolean ended = d.isEmpty() || !d.get().running();
        tail.read(ended);
        if (ended) return d.map(ContainerDetails::exitCode).orElse(-1);
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      throw new StepFailed("cannot read the step's output: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  private void pullIfMissing(String image, Consumer<String> out) {
    if (engine.hasImage(image)) return;
    out.accept("pulling " + image);
    engine.pull(image, auth.forImage(image), out);
  }

  private void removeQuietly(String id) {
    try {
      engine.remove(id, true);
    } catch (EngineException e) {
      // gone already (a stop removed it), or the engine is away: the next run removes it by name
    }
  }
}
