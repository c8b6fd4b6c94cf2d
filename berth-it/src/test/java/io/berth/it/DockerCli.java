package io.berth.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real docker CLI as a test client: one command, its exit code, stdout and stderr. */
final class DockerCli {
  private DockerCli() {}

  /**
   * The docker CLI the tests drive: {@code BERTH_IT_DOCKER} when set, else Debian's
   * {@code /usr/bin/docker} (the 20.10 client the Docker endpoint is specified against, installed
   * by {@code .ci/run} with docker.io), else whatever {@code docker} is first on the PATH.
   */
  static final String BINARY = System.getenv().getOrDefault("BERTH_IT_DOCKER",
      java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker");

  /** What a command did. */
  record Result(int exit, String out, String err) {}

  /**
   * Runs {@code docker -H HOST FLAGS… ARGS…}, feeding {@code stdin} (null: none) and closing it, so
   * a hijacked stream sees EOF. The caller's DOCKER_* variables are removed. Fails on a hang.
   */
  static Result run(String host, List<String> flags, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "-H", host));
    cmd.addAll(flags);
    return run(cmd, java.util.Map.of(), stdin, args);
  }

  /** Runs {@code docker ARGS…} with only the DOCKER_* variables {@code env} gives (DOCKER_HOST, DOCKER_CERT_PATH, …). */
  static Result withEnv(java.util.Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
    return run(new ArrayList<>(List.of(BINARY)), env, stdin, args);
  }

  private static Result run(List<String> cmd, java.util.Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("docker", ".out");
    Path err = Files.createTempFile("docker", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("docker " + String.join(" ", args) + " hung (a lost half-close?)");
    }
    try {
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** Runs {@code docker-compose -H HOST -p PROJECT ARGS…} in {@code dir}, without the caller's DOCKER_HOST. Fails on a hang. */
  static Result compose(String host, String project, Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker-compose", "-H", host, "-p", project));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("DOCKER_HOST");
    Path out = Files.createTempFile("compose", ".out");
    Path err = Files.createTempFile("compose", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker-compose " + String.join(" ", args) + " hung");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }
}
