package io.berth.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dockerd of {@link LocalEngines}, node K, living in {@code BASE/nodeK}: the same layout,
 * flags and daemon.json as {@code scripts/engines}, so either can reuse what the other started.
 */
final class LocalDockerd {
  private static final Logger log = LoggerFactory.getLogger(LocalDockerd.class);

  final int number;
  final String name;
  final Path dir;
  final String bridge;
  final String address;
  final URI socket;
  private Process process;          // null when adopted or not started
  private boolean adopted;
  private boolean createdBridge;
  private long startedNanos;

  /** Also serves the engine API on {@code tcp://address:tcpPort} (plain, for agentless discovery tests) when > 0. */
  private final int tcpPort;

  LocalDockerd(Path base, int number) {
    this(base, number, 0);
  }

  /** With {@link #tcpPort}: serve it with {@code --tlsverify} and these files (CA, certificate, key); null for plain TCP. */
  private final List<Path> tls;

  LocalDockerd(Path base, int number, int tcpPort) {
    this(base, number, tcpPort, null);
  }

  LocalDockerd(Path base, int number, int tcpPort, List<Path> tls) {
    this.tcpPort = tcpPort;
    this.tls = tls;
    this.number = number;
    this.name = "node" + number;
    this.dir = base.resolve(name);
    this.bridge = "berthbr" + number;
    this.address = "127.0.0.1" + number;
    this.socket = URI.create("unix://" + dir.resolve("docker.sock"));
  }

  /** Adopts a healthy dockerd already running from this directory; it will be left running. */
  boolean adoptIfRunning() {
    Optional<Long> pid = pid();
    if (pid.isEmpty() || !ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try (var engine = new DockerEngine(socket)) {
      engine.ping();
      adopted = true;
      log.info("local-engine-adopted node={} pid={} socket={}", name, pid.get(), socket);
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  /** Creates the bridge and starts dockerd in the background; {@link #awaitReady} waits for it. */
  void launch(String dockerd) {
    HostNetwork.dockerdUsingBridge(bridge).ifPresent(other -> {
      throw new IllegalStateException("bridge " + bridge + " is used by dockerd pid " + other
          + " (another set of engines?); stop it with scripts/engines down, or use another firstNode");
    });
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("daemon.json"),
          "{\"deprecated-key-path\": \"" + dir.resolve("key.json") + "\"}\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    createdBridge = HostNetwork.ensureBridge(bridge, "172.31." + number + ".1/24");
    HostNetwork.allowBridgedTraffic();
    List<String> command = new ArrayList<>(List.of(dockerd,
        "--config-file", dir.resolve("daemon.json").toString(), // not /etc/docker/daemon.json
        "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(), "-H", socket.toString(),
        "--bridge", bridge, "--ip", address, "--iptables=false", "--ip-forward=false",
        "--label", "node=" + name));
    if (tcpPort > 0) command.addAll(List.of("-H", "tcp://" + address + ":" + tcpPort));
    if (tcpPort > 0 && tls != null) {
      command.addAll(List.of("--tlsverify", "--tlscacert", tls.get(0).toString(), "--tlscert", tls.get(1).toString(),
          "--tlskey", tls.get(2).toString()));
    }
    startedNanos = System.nanoTime();
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + dockerd + ": " + e.getMessage(), e);
    }
  }

  /** Waits until the engine answers a ping; fails with the end of its log if it died or timed out. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var engine = new DockerEngine(socket)) {
      while (true) {
        if (process != null && !process.isAlive()) {
          throw new IllegalStateException(name + ": dockerd exited with " + process.exitValue() + ": " + logTail());
        }
        try {
          engine.ping();
          log.info("local-engine-started node={} socket={} address={} ms={}", name, socket, address,
              (System.nanoTime() - startedNanos) / 1_000_000);
          return;
        } catch (EngineException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name + ": dockerd did not answer within " + timeout + ": " + logTail());
          }
          Thread.sleep(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + name, e);
    }
  }

  /** Sends SIGTERM to a dockerd we started; does not wait. */
  void signalStop() {
    if (process != null && process.isAlive()) {
      process.destroy();
    }
  }

  /** Waits for the stop, kills after {@code grace}, then removes the bridge if we created it. */
  void awaitStopped(Duration grace) {
    if (process != null) {
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("local-engine-killed node={} after={}", name, grace);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          // a killed dockerd leaves its containerd behind, holding the exec root
          readPid(dir.resolve("exec/containerd/containerd.pid"))
              .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (createdBridge && HostNetwork.dockerdUsingBridge(bridge).isEmpty()) {
      HostNetwork.deleteBridge(bridge);
      createdBridge = false;
    }
  }

  boolean adopted() {
    return adopted;
  }

  private Optional<Long> pid() {
    return readPid(dir.resolve("docker.pid"));
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log at " + dir.resolve("dockerd.log") + ")";
    }
  }
}
