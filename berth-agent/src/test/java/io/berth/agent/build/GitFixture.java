package io.berth.agent.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real bare git repository in a temp dir, reached as {@code file://}, with commits made through a work tree. */
final class GitFixture {
  final Path bare;
  final Path work;

  GitFixture(Path dir) throws Exception {
    this.bare = dir.resolve("repo.git");
    this.work = dir.resolve("author");
    git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
    git(dir, "init", "-q", "-b", "main", work.toString());
  }

  String url() {
    return bare.toUri().toString();
  }

  /** Writes {@code files} in the work tree, commits and pushes them to {@code branch}; returns the commit. */
  String commit(String branch, Map<String, String> files) throws Exception {
    for (var f : files.entrySet()) {
      Path p = work.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    git(work, "add", "-A");
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "change");
    git(work, "push", "-q", bare.toString(), "HEAD:refs/heads/" + branch);
    return git(work, "rev-parse", "HEAD").strip();
  }

  void tag(String name) throws Exception {
    git(work, "tag", name);
    git(work, "push", "-q", bare.toString(), "refs/tags/" + name);
  }

  static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException(cmd + ": " + out);
    return out;
  }
}
