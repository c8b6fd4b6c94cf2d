package io.berth.agent.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The clone step: Debian's {@code git} CLI, shallow, into the build's workspace, reused between
 * runs. {@code git init} once, then {@code git fetch --depth 1 URL REF} and {@code git checkout
 * FETCH_HEAD}, which take a branch, a tag or a commit alike, and {@code git clean} so nothing of
 * the last run leaks into this one. A failure carries git's own words ({@code fatal: couldn't find
 * remote ref nope}); git never prompts (no terminal, no askpass, ssh in batch mode).
 */
final class GitCheckout {
  private static final int KEPT_LINES = 20;

  /** Checks {@code ref} of {@code url} out into {@code src} and returns the commit (40 hex digits). */
  String checkout(Path src, String url, String ref, Consumer<String> out, RunControl control) throws StepFailed {
    try {
      Files.createDirectories(src);
    } catch (IOException e) {
      throw new StepFailed("cannot make the workspace " + src + ": " + e.getMessage());
    }
    if (!Files.isDirectory(src.resolve(".git"))) git(src, out, control, "init", "-q");
    out.accept("$ git fetch --depth 1 " + redacted(url) + " " + ref);
    git(src, out, control, "fetch", "-q", "--depth", "1", "--no-tags", url, ref);
    git(src, out, control, "checkout", "-q", "-f", "FETCH_HEAD");
    git(src, out, control, "clean", "-q", "-ffdx");
    List<String> head = git(src, line -> {}, control, "rev-parse", "HEAD");
    return head.get(head.size() - 1).strip();
  }

  /** Runs one git command in {@code dir}; returns its last lines, or fails with git's words. */
  private List<String> git(Path dir, Consumer<String> out, RunControl control, String... args) throws StepFailed {
    control.check();
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "advice.detachedHead=false"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_ASKPASS", "true");
    pb.environment().put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new StepFailed("cannot run git (is it installed on the build node?): " + e.getMessage());
    }
    control.onStop(() -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    Deque<String> last = new ArrayDeque<>();
    try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        out.accept(line);
        last.addLast(line);
        if (last.size() > KEPT_LINES) last.removeFirst();
      }
      int status = p.waitFor();
      control.onStop(null);
      control.check();
      if (status != 0) throw new StepFailed(failure(args[0], status, last));
      return List.copyOf(last);
    } catch (IOException e) {
      control.check();
      throw new StepFailed("git " + args[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  /** git's {@code fatal:} and {@code error:} lines, which say what went wrong; else its last line. */
  static String failure(String command, int status, Deque<String> last) {
    List<String> said = last.stream().filter(l -> l.startsWith("fatal:") || l.startsWith("error:")).toList();
    if (!said.isEmpty()) return String.join("; ", said);
    return last.isEmpty() ? "git " + command + " exited with " + status : last.getLast();
  }

  /** The URL without its user and password, which may be a token. */
  static String redacted(String url) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    int path = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    if (scheme < 0 || at < 0 || (path >= 0 && at > path)) return url;
    return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
  }
}
