package io.berth.engine;

/** How a process run in a container with {@link ContainerEngine#exec} ended: its exit code and its output. */
public record ExecResult(int exitCode, String output) {}
