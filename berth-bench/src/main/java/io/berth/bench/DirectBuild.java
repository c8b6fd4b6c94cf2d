package io.berth.bench;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline of a Berth build's image step: {@code docker build --no-cache} of the same checkout
 * with the docker CLI straight on the build node's engine, through the classic builder, which is
 * what the engine's {@code /build} endpoint the agent calls runs as well.
 */
final class DirectBuild {
  private DirectBuild() {}

  /** Milliseconds {@code docker build} of {@code context} (its Dockerfile, its .dockerignore) took, the CLI's start included. */
  static double millis(LocalEngine engine, Path context, String tag) throws IOException, InterruptedException {
    return time(engine, context, "build", "--no-cache", "-t", tag, ".");
  }

  /** Milliseconds {@code docker version} takes: what starting the CLI adds to {@link #millis}. */
  static double cliStart(LocalEngine engine, Path context) throws IOException, InterruptedException {
    return time(engine, context, "version", "--format", "{{.Server.Version}}");
  }

  private static double time(LocalEngine engine, Path dir, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(LrpBench.DOCKER, "-H", "unix://" + engine.socket()).directory(dir.toFile()).redirectErrorStream(true);
    pb.command().addAll(List.of(args));
    pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
    // The CLI would ask for buildx (BuildKit), which this engine's build endpoint is not; the classic builder is the agent's.
    pb.environment().put("DOCKER_BUILDKIT", "0");
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
    return (System.nanoTime() - t0) / 1e6;
  }
}
