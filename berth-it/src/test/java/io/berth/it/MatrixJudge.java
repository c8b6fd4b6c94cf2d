package io.berth.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link PermissionMatrixIT} tells an outcome: an action done, refused (a 401/403 or the words
 * of a denial), or neither; and what docs/permissions.md says each role may do.
 */
final class MatrixJudge {
  private MatrixJudge() {}

  enum Outcome { ALLOWED, DENIED }

  /** One observation: what happened, and the words that show it (for a failure's message). */
  record Seen(Outcome outcome, String evidence) {}

  static final List<String> DENIALS = List.of("(HTTP 401)", "(HTTP 403)", "denied", "unauthorized", "may not", "is not a member",
      "needs ", "sign in first", "No such container");

  static Seen cli(BerthProcess.Result r) {
    return judge(r.exit(), r.out() + r.err());
  }

  static Seen docker(DockerCli.Result r) {
    return judge(r.exit(), r.out() + r.err());
  }

  static Seen judge(int exit, String text) {
    if (exit == 0) return new Seen(Outcome.ALLOWED, text);
    for (String d : DENIALS) if (text.contains(d)) return new Seen(Outcome.DENIED, text);
    return new Seen(null, "exit " + exit + ": " + text);
  }

  static Seen http(HttpResponse<String> r) {
    if (r.statusCode() < 300) return new Seen(Outcome.ALLOWED, r.body());
    if (r.statusCode() == 401 || r.statusCode() == 403) return new Seen(Outcome.DENIED, r.body());
    return new Seen(null, r.statusCode() + " " + r.body());
  }

  /** A listing that shows the resource (allowed) or leaves it out (denied). */
  static Seen listed(int exit, String text, String name) {
    if (exit != 0) return judge(exit, text);
    return new Seen(text.contains(name) ? Outcome.ALLOWED : Outcome.DENIED, text);
  }

  @FunctionalInterface
  interface Step {
    List<Seen> take(String role, String user) throws Exception;
  }

  /** kind → action → yes/no per column (owner, master, developer, reporter, guest), as docs/permissions.md has them. */
  static Map<String, Map<String, List<Boolean>>> documented() {
    Map<String, Map<String, List<Boolean>>> out = new LinkedHashMap<>();
    String kind = null;
    try {
      for (String line : Files.readAllLines(Path.of("..", "docs", "permissions.md"))) {
        if (line.startsWith("## ")) kind = null;
        if (line.startsWith("### ")) out.put(kind = line.substring(4).trim(), new LinkedHashMap<>());
        String[] c = line.split("\\|");
        if (kind == null || c.length < 7 || line.startsWith("| action") || line.startsWith("| ---")) continue;
        List<Boolean> yes = new ArrayList<>();
        for (int i = 2; i < 7; i++) yes.add(c[i].trim().equals("yes"));
        out.get(kind).put(c[1].trim(), yes);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read docs/permissions.md", e);
    }
    return out;
  }
}
