package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real git server for build tests: Debian's {@code git daemon} serving bare repositories from a
 * directory on a loopback port ({@code git://127.0.0.1:PORT/NAME.git}), and a working copy per
 * repository the test commits and pushes from, as a developer would.
 */
final class GitServer implements AutoCloseable {
  static final Path GIT = Path.of("/usr/bin/git");
  private final Path root;
  private final int port;
  private final BerthProcess daemon;

  private GitServer(Path root, int port, BerthProcess daemon) {
    this.root = root;
    this.port = port;
    this.daemon = daemon;
  }

  /** Starts {@code git daemon} on a free loopback port, serving the bare repositories under {@code dir/repos}. */
  static GitServer start(Path dir) throws IOException {
    if (!Files.isExecutable(GIT)) throw new IllegalStateException("git is not installed (apt-get install git)");
    Path repos = Files.createDirectories(dir.resolve("repos"));
    int port = Ports.free();
    BerthProcess p = BerthProcess.exec("git-daemon", dir, List.of(GIT.toString(), "daemon", "--reuseaddr",
        "--listen=127.0.0.1", "--port=" + port, "--base-path=" + repos, "--export-all", "--enable=receive-pack",
        "--informative-errors", repos.toString()));
    GitServer g = new GitServer(repos, port, p);
    Ports.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
    return g;
  }

  /** The URL a build clones {@code name} from. */
  String url(String name) {
    return "git://127.0.0.1:" + port + "/" + name + ".git";
  }

  /** Makes the bare repository {@code name} and a working copy of it with {@code files} committed and pushed on {@code branch}; returns the working copy. */
  Path create(String name, String branch, Map<String, String> files) throws IOException, InterruptedException {
    git(root, "init", "-q", "--bare", "-b", branch, name + ".git");
    Path work = root.resolveSibling("work-" + name);
    git(root.getParent(), "init", "-q", "-b", branch, work.toString());
    git(work, "remote", "add", "origin", url(name));
    commit(work, files, "first");
    git(work, "push", "-q", "origin", branch);
    return work;
  }

  /** Writes {@code files} in the working copy and commits them; returns the commit's id. */
  static String commit(Path work, Map<String, String> files, String message) throws IOException, InterruptedException {
    for (var f : files.entrySet()) {
      Path p = work.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
      if (f.getKey().endsWith(".sh")) p.toFile().setExecutable(true);
    }
    git(work, "add", "-A");
    git(work, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", message);
    return git(work, "rev-parse", "HEAD").strip();
  }

  /** Runs git in {@code dir} and returns its output; a failure is an exception with git's words. */
  static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(GIT.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("git " + String.join(" ", args) + ": " + out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    daemon.close();
  }
}
