package io.berth.agent.build;

import io.berth.cluster.wire.BuildJob;
import io.berth.engine.ContainerEngine;
import io.berth.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image and push steps: {@code docker build} of the context with the Dockerfile on the node's
 * engine, tagged {@code IMAGE:TAG} (the commit's short id unless the run names a tag), then the push
 * to the registry with the run's {@code X-Registry-Auth}. Both stream the engine's progress into the
 * log and fail with its words; a stop interrupts the engine call, which closes its connection, and
 * the engine ends the build or push.
 */
final class ImageSteps {
  private static final Logger log = LoggerFactory.getLogger(ImageSteps.class);
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private final ContainerEngine engine;

  ImageSteps(ContainerEngine engine) {
    this.engine = engine;
  }

  /** Builds the image and returns its reference, {@code IMAGE:TAG}. */
  String build(BuildJob job, Workspace ws, String commit, Consumer<String> out, RunControl control) throws StepFailed {
    String contextName = job.context() == null || job.context().isBlank() ? "." : job.context();
    String dockerfileName = job.dockerfile() == null || job.dockerfile().isBlank() ? "Dockerfile" : job.dockerfile();
    Path context = ws.inSource("context", contextName);
    Path dockerfile = ws.inSource("dockerfile", dockerfileName);
    if (!Files.isDirectory(context)) throw new StepFailed("the build context '" + contextName + "' is not a directory of the repository");
    if (!Files.isRegularFile(dockerfile)) {
      throw new StepFailed("Dockerfile '" + dockerfileName + "' not found in the repository at " + BuildRun.shortId(commit));
    }
    if (job.image() == null || job.image().isBlank()) throw new StepFailed("the build names no image repository to push to");
    String tag = job.tag() == null || job.tag().isBlank() ? BuildRun.shortId(commit) : job.tag();
    if (!TAG.matcher(tag).matches()) throw new StepFailed("'" + tag + "' is not a valid image tag");
    String reference = job.image() + ":" + tag;
    Path tar = ws.tmp().resolve("context.tar");
    try {
      long t0 = System.nanoTime();
      String inTar = ContextTar.write(context, dockerfile, tar);
      long kib = Files.size(tar) >> 10;
      out.accept("sending a context of " + kib + " KiB to the engine; tag " + reference);
      long t1 = System.nanoTime();
      try (InputStream in = Files.newInputStream(tar)) {
        stoppable(control, () -> engine.build(in, inTar, List.of(reference), job.noCache(), out));
      }
      log.info("build-image-built run={} image={} context_kib={} pack_ms={} engine_ms={}", job.id(), reference, kib, (t1 - t0) / 1_000_000,
          (System.nanoTime() - t1) / 1_000_000);
    } catch (IOException e) {
      throw new StepFailed("cannot pack the build context: " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (IOException e) {
        // tmp is removed at the run's end anyway
      }
    }
    return reference;
  }

  void push(BuildJob job, String reference, Consumer<String> out, RunControl control) throws StepFailed {
    stoppable(control, () -> engine.push(reference, job.registryAuth(), out));
  }

  /** Runs an engine call that a stop interrupts; a failure is the engine's words, or the stop's reason. */
  private static void stoppable(RunControl control, Runnable call) throws StepFailed {
    control.check();
    Thread caller = Thread.currentThread();
    control.onStop(caller::interrupt);
    try {
      call.run();
    } catch (EngineException e) {
      control.check();
      throw new StepFailed(e.getMessage());
    } finally {
      control.onStop(null);
      Thread.interrupted(); // a stop's interrupt is done with: the run ends on its reason, not on this flag
    }
    control.check();
  }
}
