package io.berth.router;

import io.berth.cluster.PidFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real nginx, run as a child process with its prefix, config, pid and logs in one dir. A
 * config counts as live only once the status server answers its marker, which only workers of
 * that config can do. A master that dies is started again with the last live config.
 */
final class Nginx implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Nginx.class);
  static final long LIVE_TIMEOUT_MS = 5000;
  private static final String NO_OUTPUT = "(no output)";
  private final Path binary;
  private final Path dir;
  private final int statusPort;
  private final StatusProbe probe;
  private volatile Process master;
  private volatile NginxConfig.Rendered live;
  private volatile boolean closed;
  /** The master's workers as last seen: they outlive a master that is killed, and keep its port. */
  private volatile List<ProcessHandle> workers = List.of();
  private int restarts;

  Nginx(Path binary, Path dir, int statusPort) {
    this.binary = binary;
    this.dir = dir.toAbsolutePath().normalize();
    this.statusPort = statusPort;
    this.probe = new StatusProbe(statusPort);
  }

  /** The version the binary reports ({@code 1.22.1}); fails with one sentence when there is no nginx. */
  String version() {
    if (!Files.isExecutable(binary)) throw new NginxException("nginx not found at " + binary + ": apt-get install nginx");
    Run r = run(List.of(binary.toString(), "-v"), 5);
    int at = r.output().indexOf("nginx/");
    if (r.exit() != 0 || at < 0) throw new NginxException(binary + " -v did not say its version: " + firstError(r.output()));
    return r.output().substring(at + 6).strip().split("\\s")[0];
  }

  /** Checks a config with {@code nginx -t}: empty when nginx accepts it, else nginx's first error line. */
  Optional<String> test(String text) {
    Path candidate = dir.resolve("candidate.conf");
    write(candidate, text);
    Run r = run(List.of(binary.toString(), "-t", "-q", "-p", dir + "/", "-e", dir.resolve("candidate.log").toString(),
        "-c", candidate.toString()), 10);
    return r.exit() == 0 ? Optional.empty() : Optional.of(firstError(r.output()));
  }

  /** Makes {@code config} the live config and starts the master; returns once its workers answer. */
  synchronized void start(NginxConfig.Rendered config) {
    if (closed) throw new NginxException("nginx is stopped");
    stopStale();
    try {
      Files.createDirectories(dir.resolve("temp")); // nginx makes the temp paths, not their parent
    } catch (IOException e) {
      throw new NginxException("cannot use " + dir + ": " + e.getMessage());
    }
    write(dir.resolve("nginx.conf"), config.text());
    launch(config);
  }

  /**
   * Makes {@code config} the live config with a reload (the master stays; old workers finish their
   * requests) and returns once new workers answer its marker. On failure the previous config keeps
   * serving and is written back.
   */
  synchronized void reload(NginxConfig.Rendered config) {
    NginxConfig.Rendered previous = live;
    Process p = master;
    if (p == null || !p.isAlive()) throw new NginxException("nginx is not running");
    Path errors = dir.resolve("error.log");
    long mark = size(errors);
    List<ProcessHandle> before = p.descendants().toList();
    write(dir.resolve("nginx.conf"), config.text());
    Run r = run(List.of(binary.toString(), "-s", "reload", "-p", dir + "/", "-e", errors.toString(),
        "-c", dir.resolve("nginx.conf").toString()), 10);
    long deadline = deadline();
    String failure = r.exit() != 0 ? firstError(r.output())
        : !probe.awaitMarker(p, config.marker(), deadline) ? (Thread.currentThread().isInterrupted() ? "interrupted"
            : !p.isAlive() ? "the master exited" : reloadError(errors, mark))
        : !StatusProbe.awaitRetired(before, deadline) ? "old workers did not stop accepting within " + LIVE_TIMEOUT_MS / 1000 + " s" : null;
    if (failure != null) {
      if (previous != null) write(dir.resolve("nginx.conf"), previous.text());
      throw new NginxException("nginx did not reload: " + failure);
    }
    live = config;
    workers = p.descendants().toList(); // the new ones, and old ones still finishing
  }

  /** The config the workers serve now (null before the first start). */
  NginxConfig.Rendered live() {
    return live;
  }

  /** What the status server answers now, or null when nothing answers. */
  String servedMarker() {
    return probe.served();
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVE_TIMEOUT_MS);
  }

  private void launch(NginxConfig.Rendered config) {
    Path output = dir.resolve("nginx.out");
    Process p;
    try {
      p = new ProcessBuilder(binary.toString(), "-p", dir + "/", "-e", dir.resolve("error.log").toString(), "-c", dir.resolve("nginx.conf").toString())
          .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    } catch (IOException e) {
      throw new NginxException("cannot run " + binary + ": " + e.getMessage());
    }
    master = p;
    if (!probe.awaitMarker(p, config.marker(), deadline())) {
      String why = p.isAlive() ? "its status port 127.0.0.1:" + statusPort + " did not answer within " + LIVE_TIMEOUT_MS / 1000 + " s" : firstError(read(output));
      kill(p);
      master = null;
      throw new NginxException("nginx did not start: " + why);
    }
    live = config;
    workers = p.descendants().toList();
    p.onExit().thenRun(() -> exited(p));
  }

  /** Restarts a master that died under us, with the live config, backing off while it keeps failing. */
  private void exited(Process p) {
    if (closed || p != master) return;
    int code = p.exitValue();
    workers.forEach(ProcessHandle::destroyForcibly); // isAlive and destroy check the start time: a reused pid is safe
    String said = firstError(read(dir.resolve("nginx.out")));
    log.warn("router-nginx-exited pid={} {}{} (restarting with revision {})", p.pid(), code > 128 ? "signal=" + (code - 128) : "code=" + code,
        said.equals(NO_OUTPUT) ? "" : ": " + said, live.revision());
    Thread.ofVirtual().name("router-nginx-restart").start(() -> {
      for (long wait = 200; !closed; wait = Math.min(wait * 2, 5000)) {
        synchronized (this) {
          if (closed || master != p && master != null) return; // stopped, or started again already
          try {
            write(dir.resolve("nginx.conf"), live.text());
            launch(live);
            restarts++;
            log.info("router-nginx-restarted pid={} revision={} restarts={}", master.pid(), live.revision(), restarts);
            return;
          } catch (NginxException e) {
            log.warn("router-nginx-restart-failed: {} (again in {} ms)", e.getMessage(), wait);
          }
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** An nginx a previous router left running on this dir (its JVM was killed) holds the ports: stop it. */
  private void stopStale() {
    // nginx retitles its master "nginx: master process /usr/sbin/nginx -p DIR/ ...": ours has this dir.
    // SIGTERM makes it stop its workers, then exit.
    new PidFile(dir.resolve("nginx.pid")).stopLeftOver("nginx",
        title -> title.startsWith("nginx: master process") && title.contains(" -p " + dir + "/ "), Duration.ofSeconds(3))
        .ifPresent(pid -> log.warn("router-nginx-stale pid={}: stopping the nginx a previous router left on {}", pid, dir));
  }

  /** Stops gracefully ({@code nginx -s quit}), then fast (SIGTERM), then kills. */
  @Override
  public void close() {
    closed = true;
    Process p;
    synchronized (this) {
      p = master;
      master = null;
    }
    if (p == null || !p.isAlive()) return;
    run(List.of(binary.toString(), "-s", "quit", "-p", dir + "/", "-e", dir.resolve("error.log").toString(),
        "-c", dir.resolve("nginx.conf").toString()), 5);
    try {
      if (p.waitFor(3, TimeUnit.SECONDS)) return;
      p.destroy();
      if (p.waitFor(1, TimeUnit.SECONDS)) return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(p);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first emergency in {@code error.log} since {@code mark}: why the master kept its old config. */
  private static String reloadError(Path errors, long mark) {
    String text = read(errors);
    return emergency(mark <= text.length() ? text.substring((int) mark) : text)
        .orElse("new workers did not answer within " + LIVE_TIMEOUT_MS / 1000 + " s");
  }

  /** nginx's words without its prefix: {@code host not found in upstream "x:80" in /dir/candidate.conf:14}. */
  static String firstError(String output) {
    return emergency(output).orElseGet(() -> output.lines().map(String::strip).filter(l -> !l.isEmpty())
        .map(l -> l.replaceFirst("^nginx: ", "")).findFirst().orElse(NO_OUTPUT));
  }

  private static Optional<String> emergency(String output) {
    for (String line : output.split("\n")) {
      int at = line.indexOf("[emerg]") >= 0 ? line.indexOf("[emerg]") : line.indexOf("[alert]");
      if (at >= 0) return Optional.of(line.substring(at + 7).strip().replaceFirst("^\\d+#\\d+: ", ""));
    }
    return Optional.empty();
  }

  private record Run(int exit, String output) {}

  /** Runs a short nginx command; its output goes through a file, so a chatty one cannot fill a pipe and hang. */
  private Run run(List<String> cmd, int timeoutSeconds) {
    Path out = null;
    Process p = null;
    try {
      Files.createDirectories(dir);
      out = Files.createTempFile(dir, "nginx-cmd", ".out");
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Run(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      return new Run(-1, "cannot run " + cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a stray temp file in the data dir
        }
      }
    }
  }

  private static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new NginxException("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
