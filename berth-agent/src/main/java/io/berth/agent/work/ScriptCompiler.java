package io.berth.agent.work;

import io.berth.core.lrp.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles Diego's action tree into one POSIX shell script for the static busybox the agent puts at
 * {@code /.berth/busybox}, so an image needs no shell of its own. Every action becomes a function
 * {@code fN}; the script ends with a dispatcher, so a subtree that must be killable as a whole
 * (timeout, codependent) runs as {@code busybox setsid busybox sh SCRIPT fN} in its own process
 * group. Pure: no I/O, the same tree always gives the same text.
 *
 * <p>Output: each line a run action's process writes goes to the container's stdout or stderr (the
 * same stream it used) as {@code [SOURCE] line}, SOURCE being the action's {@code log_source}, else
 * its parent's, else the assignment's; untagged when none. Messages of emit_progress, download and
 * upload artifacts and timeouts are tagged the same way on stdout.
 *
 * <p>Exit status: an action's status is its process's, or for serial the first failure, parallel
 * the first failure in list order, codependent the first exit (1 when that was 0: it always
 * fails), timeout 124 when it fired, try 0. The main script writes {@code /.berth/run/started} when
 * the action begins and {@code /.berth/run/reason} when it ends.
 */
final class ScriptCompiler {
  static final String DIR = "/.berth";
  static final String BUSYBOX = DIR + "/busybox";
  static final String SHELL = DIR + "/sh";
  static final String MAIN = DIR + "/run.sh";
  static final String MONITOR = DIR + "/monitor.sh";
  static final String RUN_DIR = DIR + "/run";
  static final String STARTED = RUN_DIR + "/started";
  static final String REASON = RUN_DIR + "/reason";
  static final String DOWNLOADS = DIR + "/dl";
  static final String UPLOADS = RUN_DIR + "/up";

  /** A download the agent fetches before the container starts, to {@code DOWNLOADS/id.tgz|.zip|.tar|.error}. */
  record Fetch(String id, Action.Download action) {}

  /**
   * An upload the agent makes from the node when the script asks: the script writes
   * {@code UPLOADS/id.want}, the agent answers {@code id.error} (when it failed) then {@code id.done}.
   */
  record Send(String id, Action.Upload action) {}

  /** A compiled script, the downloads it expects the agent to have put into the container and the uploads it will ask for. */
  record Script(String text, List<Fetch> fetches, List<Send> sends) {}

  private final String dir;
  private final String prefix;
  private final StringBuilder functions = new StringBuilder();
  private final List<Fetch> fetches = new ArrayList<>();
  private final List<Send> sends = new ArrayList<>();
  private int next;

  private ScriptCompiler(String dir, String prefix) {
    this.dir = dir;
    this.prefix = prefix;
  }

  /**
   * The main script: {@code setup} (may be null), then {@code action}. When {@code daemonOk} (an
   * LRP with a monitor) an action that exits 0 is taken for a daemon and the script keeps the
   * container alive, as Diego does.
   */
  static Script main(Action setup, Action action, boolean daemonOk, String logSource) {
    return main(DIR, setup, action, daemonOk, logSource);
  }

  /** {@link #main(Action, Action, boolean, String)} for a script whose files live in {@code dir}, not /.berth (tests). */
  static Script main(String dir, Action setup, Action action, boolean daemonOk, String logSource) {
    ScriptCompiler c = new ScriptCompiler(dir, "f");
    String s = setup == null ? null : c.compile(setup, logSource);
    String a = action == null ? ":" : c.compile(action, logSource);
    StringBuilder main = new StringBuilder("main() {\n  local s\n  trap _stop TERM INT\n  $B mkdir -p $R\n");
    if (s != null) {
      main.append("  ").append(s).append("; s=$?\n")
          .append("  if [ $s -ne 0 ]; then echo \"setup failed: exited with status $s\" > $R/reason; exit $s; fi\n");
    }
    main.append("  : > $R/started\n  ").append(a).append("; s=$?\n");
    if (daemonOk) {
      main.append("  if [ $s -eq 0 ]; then while :; do $B sleep 86400 & wait $!; done; fi\n");
    }
    main.append("  echo \"exited with status $s\" > $R/reason\n  exit $s\n}\n");
    return new Script(c.assemble("$D/run", main.toString()), List.copyOf(c.fetches), List.copyOf(c.sends));
  }

  /** The monitor script, run with {@code docker exec}: its exit status says healthy (0) or not. */
  static Script monitor(Action monitor, String logSource) {
    return monitor(DIR, monitor, logSource);
  }

  /** {@link #monitor(Action, String)} for a script whose files live in {@code dir} (tests). */
  static Script monitor(String dir, Action monitor, String logSource) {
    ScriptCompiler c = new ScriptCompiler(dir, "m"); // its own names: its downloads share $D/dl
    String m = c.compile(monitor, logSource);
    String main = "main() {\n  $B mkdir -p $R\n  " + m + "\n}\n";
    return new Script(c.assemble("$D/mon", main), List.copyOf(c.fetches), List.of());
  }

  private String assemble(String runDir, String main) {
    return "#!" + dir + "/busybox sh\n"
        + "# compiled by the berth agent from a Diego action tree; see docs/lrp-agent.md\n"
        + "D=" + dir + "\nB=$D/busybox\nR=" + runDir + "\n"
        + ScriptPrelude.TEXT + functions + main
        + "f=${1:-main}; [ $# -gt 0 ] && shift\n\"$f\" \"$@\"\n";
  }

  /** Emits the function for {@code a} (and its children) and returns its name. */
  private String compile(Action a, String inherited) {
    String name = prefix + (++next);
    String src = a.logSource() == null || a.logSource().isBlank() ? (inherited == null ? "" : inherited) : a.logSource();
    StringBuilder body = new StringBuilder();
    switch (a) {
      case Action.Run r -> run(body, name, src, r);
      case Action.Download d -> {
        fetches.add(new Fetch(name, d));
        transfer(body, name, src, d.artifact(), "Download");
        body.append("  _unpack $D/dl/").append(name)
            .append(' ').append(q(d.to())).append(' ').append(q(user(d.user()))).append('\n');
      }
      case Action.Upload u -> {
        transfer(body, name, src, u.artifact(), "Upload");
        if (prefix.equals("f")) {
          sends.add(new Send(name, u));
          body.append("  _upload ").append(name).append(' ').append(q(u.from())).append(' ').append(q(user(u.user()))).append('\n');
        } else {
          // a monitor runs inside the agent's exec, which holds the instance: the agent could not answer it
          body.append("  echo 'upload is not run in a monitor' >&2; return 1\n");
        }
      }
      case Action.Serial s -> {
        if (s.actions().isEmpty()) body.append("  :\n");
        for (Action child : s.actions()) body.append("  ").append(compile(child, src)).append(" || return $?\n");
      }
      case Action.Parallel p -> parallel(body, p.actions().stream().map(child -> compile(child, src)).toList());
      case Action.Codependent c -> codependent(body, name, c.actions().stream().map(child -> compile(child, src)).toList());
      case Action.EmitProgress e -> emitProgress(body, src, e, e.action() == null ? ":" : compile(e.action(), src));
      case Action.Timeout t -> timeout(body, src, t.action() == null ? ":" : compile(t.action(), src), seconds(t.timeout()));
      case Action.Try t -> body.append("  ").append(t.action() == null ? ":" : compile(t.action(), src)).append("\n  return 0\n");
    }
    functions.append(name).append("() {\n").append(body).append("}\n");
    return name;
  }

  /** A run action: its tagged process as {@code name_p}, in its dir, with its env, limits and user. */
  private static void run(StringBuilder body, String name, String src, Action.Run r) {
    body.append("  _run ").append(q(src)).append(' ').append(name).append("_p\n}\n");
    body.append(name).append("_p() {\n");
    if (r.dir() != null && !r.dir().isBlank()) body.append("  cd ").append(q(r.dir())).append(" || exit 1\n");
    for (Action.EnvVar e : r.env()) body.append("  export ").append(q(e.name() + "=" + e.value())).append('\n');
    if (r.resourceLimits() != null && r.resourceLimits().nofile() != null) {
      body.append("  ulimit -n ").append(r.resourceLimits().nofile()).append(" || exit 1\n");
    }
    body.append("  _as ").append(q(user(r.user()))).append(" exec ").append(q(r.path()));
    r.args().forEach(arg -> body.append(' ').append(q(arg)));
    body.append('\n');
  }

  /**
   * A download's or upload's messages around its tagged process, then opens {@code name_p}, whose
   * command the caller appends ({@code verb} is "Download" or "Upload").
   */
  private static void transfer(StringBuilder body, String name, String src, String artifact, String verb) {
    if (artifact != null && !artifact.isBlank()) {
      body.append("  _say ").append(q(src)).append(' ').append(q(verb + "ing " + artifact + "...")).append('\n');
    }
    body.append("  _run ").append(q(src)).append(' ').append(name).append("_p || return $?\n");
    if (artifact != null && !artifact.isBlank()) {
      body.append("  _say ").append(q(src)).append(' ').append(q(verb + "ed " + artifact)).append('\n');
    }
    body.append("}\n").append(name).append("_p() {\n");
  }

  /** Starts every child, then waits for each in list order: the status is the first failure's. */
  private static void parallel(StringBuilder body, List<String> children) {
    body.append("  local s=0 r").append(vars(children.size())).append('\n');
    for (int i = 0; i < children.size(); i++) {
      body.append("  ").append(children.get(i)).append(" & p").append(i).append("=$!\n");
    }
    for (int i = 0; i < children.size(); i++) {
      body.append("  wait $p").append(i).append("; r=$?; [ $s -ne 0 ] || s=$r\n");
    }
    body.append("  return $s\n");
  }

  /** Runs every child in its own process group; the first to exit ends them all and fails the whole. */
  private static void codependent(StringBuilder body, String name, List<String> children) {
    if (children.isEmpty()) {
      body.append("  return 1\n");
      return;
    }
    body.append("  local s f=$R/").append(name).append(".first").append(vars(children.size())).append('\n')
        .append("  $B rm -f $f; $B mkfifo $f || return 1\n");
    for (int i = 0; i < children.size(); i++) {
      body.append("  $B setsid $B sh \"$0\" _first $f ").append(children.get(i)).append(" & p").append(i).append("=$!\n");
    }
    body.append("  read s < $f\n  kill -TERM");
    for (int i = 0; i < children.size(); i++) body.append(" -$p").append(i);
    body.append(" 2>/dev/null\n  wait\n  $B rm -f $f\n  [ \"$s\" != 0 ] || s=1\n  return $s\n");
  }

  /** The child between its start message and its success or failure message. */
  private static void emitProgress(StringBuilder body, String src, Action.EmitProgress e, String child) {
    body.append("  local s\n");
    if (present(e.startMessage())) body.append("  _say ").append(q(src)).append(' ').append(q(e.startMessage())).append('\n');
    body.append("  ").append(child).append("; s=$?\n");
    body.append("  if [ $s -eq 0 ]; then ");
    body.append(present(e.successMessage()) ? "_say " + q(src) + " " + q(e.successMessage()) : ":");
    body.append("; else ");
    body.append(present(e.failureMessagePrefix())
        ? "_say " + q(src) + " " + q(e.failureMessagePrefix()) + "\": exited with status $s\"" : ":");
    body.append("; fi\n  return $s\n");
  }

  /** The child in its own process group beside a watchdog that kills the group after {@code secs}. */
  private static void timeout(StringBuilder body, String src, String child, String secs) {
    body.append("  local c w s\n")
        .append("  $B setsid $B sh \"$0\" ").append(child).append(" & c=$!\n")
        .append("  $B setsid $B sh \"$0\" _watchdog $c ").append(secs).append(" & w=$!\n")
        .append("  wait $c; s=$?\n  kill -TERM -$w 2>/dev/null; wait $w 2>/dev/null\n")
        .append("  if [ -e $R/timeout.$c ]; then _say ").append(q(src)).append(' ')
        .append(q("timed out after " + secs + "s")).append("; return 124; fi\n  return $s\n");
  }

  private static String vars(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) s.append(" p").append(i);
    return s.toString();
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }

  private static String user(String user) {
    return user == null || user.isBlank() ? "root" : user;
  }

  /** Nanoseconds as busybox sleep's seconds, with at most millisecond precision ("0.25", "5"). */
  static String seconds(long nanos) {
    long millis = Math.max(1, nanos / 1_000_000);
    return millis % 1000 == 0 ? Long.toString(millis / 1000)
        : String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000).replaceAll("0+$", "");
  }

  /** Single-quotes a word for the shell. */
  static String q(String s) {
    return "'" + (s == null ? "" : s).replace("'", "'\\''") + "'";
  }
}
