package io.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A clean root to install a package into without touching the host's {@code /usr}, {@code /etc} or
 * {@code /var}: the host's {@code /} under an overlay whose upper layer is a tmpfs, in a private
 * mount namespace, with {@code /proc}, {@code /dev}, {@code /sys} and {@code /tmp} bound in.
 * Commands run chrooted in it with a clean environment, as root's login shell would have.
 *
 * <p>A holder process keeps the namespace: it reads its standard input until the test closes it
 * (or dies), and the mounts go with the last process in the namespace, so nothing is left mounted
 * on the host even after a crash. {@link #dir()} is under {@code /tmp} and has the same path inside
 * the root, for files both sides share (the package, an agent's data, logs).
 */
final class CleanRoot implements AutoCloseable {
  private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private final Path dir;
  private final Path root;
  private final Process holder;
  private final List<BerthProcess> started = new ArrayList<>();

  private CleanRoot(Path dir, Process holder) {
    this.dir = dir;
    this.root = dir.resolve("ns/root");
    this.holder = holder;
  }

  /** Mounts a fresh root; fails with the holder's output when a mount does not work here. */
  static CleanRoot create() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-clean-root");
    Path ns = Files.createDirectories(dir.resolve("ns"));
    String script = String.join("\n",
        "set -e",
        "mount -t tmpfs -o size=2g,mode=0755 berth-clean-root " + ns,
        "mkdir " + ns + "/upper " + ns + "/work " + ns + "/root",
        "mount -t overlay berth-clean-root -o lowerdir=/,upperdir=" + ns + "/upper,workdir=" + ns + "/work " + ns + "/root",
        "mount --bind /proc " + ns + "/root/proc",
        "mount --rbind /dev " + ns + "/root/dev",
        "mount --rbind /sys " + ns + "/root/sys",
        "mount --bind /tmp " + ns + "/root/tmp",
        "echo ready",
        "exec cat >/dev/null");
    Process holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"ready".equals(first)) {
      String rest = first == null ? "" : first + "\n" + readRest(out);
      holder.destroyForcibly();
      holder.waitFor(10, TimeUnit.SECONDS);
      deleteTree(dir);
      throw new IllegalStateException("cannot make a clean root (unshare, tmpfs, overlay over /): " + rest.strip());
    }
    return new CleanRoot(dir, holder);
  }

  private static String readRest(BufferedReader out) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) b.append(line).append('\n');
    return b.toString();
  }

  /** A host directory under /tmp that has the same path inside the root. */
  Path dir() {
    return dir;
  }

  /** A path inside the root, as the host reaches it through the holder's mount namespace. */
  Path file(String inside) {
    return Path.of("/proc/" + holder.pid() + "/root" + root + inside);
  }

  /** The command that runs {@code shell} with {@code sh -c} inside the root, in a clean environment. */
  List<String> command(String shell) {
    return List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "chroot", root.toString(),
        "env", "-i", PATH, "HOME=/root", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", "sh", "-c", shell);
  }

  /** Runs {@code shell} inside the root to completion. */
  BerthProcess.Result run(Duration timeout, String shell) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    Process p = new ProcessBuilder(command(shell)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("in the clean root, '" + shell + "' did not finish within " + timeout + "; stderr:\n" + Files.readString(err));
    }
    return new BerthProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts {@code shell} inside the root in the background (it should {@code exec} its program, so SIGTERM reaches it). */
  BerthProcess start(String name, String shell) throws IOException {
    BerthProcess p = BerthProcess.exec(name, dir.resolve("logs"), command(shell));
    started.add(p);
    return p;
  }

  /** Stops what {@link #start} started, lets the namespace go with its mounts, and deletes {@link #dir()}. */
  @Override
  public void close() throws IOException, InterruptedException {
    for (BerthProcess p : started) {
      if (p.isAlive()) p.stop();
    }
    holder.getOutputStream().close();
    if (!holder.waitFor(10, TimeUnit.SECONDS)) {
      holder.destroyForcibly();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
