package io.berth.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code git daemon} serving the bare repositories of a directory on a loopback port, and
 * the working copies the build bench commits to and pushes from, as a developer does.
 */
final class GitDaemon implements AutoCloseable {
  private final Path bare;
  private final int port;
  private final Process daemon;

  private GitDaemon(Path bare, int port, Process daemon) {
    this.bare = bare;
    this.port = port;
    this.daemon = daemon;
  }

  /** Starts the daemon on a free port over {@code dir/bare}, with pushes allowed. */
  static GitDaemon start(Path dir) throws IOException, InterruptedException {
    Path bare = Files.createDirectories(dir.resolve("bare"));
    int port = BerthJar.freePort();
    Process p = new ProcessBuilder("git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=" + port, "--base-path=" + bare,
        "--export-all", "--enable=receive-pack", bare.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("git-daemon.log").toFile()).start();
    GitDaemon g = new GitDaemon(bare, port, p);
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return g;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    g.close();
    throw new IllegalStateException("git daemon did not listen on " + port + ": see " + dir.resolve("git-daemon.log"));
  }

  String url(String repo) {
    return "git://127.0.0.1:" + port + "/" + repo + ".git";
  }

  /** A new bare repository {@code repo} with {@code files} pushed on {@code main}; the working copy it was pushed from. */
  Path create(String repo, Map<String, String> files) throws IOException, InterruptedException {
    run(bare, "init", "-q", "--bare", "-b", "main", repo + ".git");
    Path work = bare.resolveSibling("work-" + repo);
    run(bare.getParent(), "init", "-q", "-b", "main", work.toString());
    run(work, "remote", "add", "origin", url(repo));
    commit(work, files, "first");
    run(work, "push", "-q", "origin", "main");
    return work;
  }

  /** Writes {@code files} into the working copy and commits them; the commit's id. */
  static String commit(Path work, Map<String, String> files, String message) throws IOException, InterruptedException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path to = work.resolve(f.getKey());
      Files.createDirectories(to.getParent());
      Files.writeString(to, f.getValue());
    }
    run(work, "add", "-A");
    run(work, "-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", message);
    return run(work, "rev-parse", "HEAD").strip();
  }

  /** git in {@code dir}; its output, or an exception with its words when it fails. */
  static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + " failed: " + out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    daemon.destroy();
    daemon.waitFor();
  }
}
