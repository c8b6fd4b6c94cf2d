package io.berth.core.lrp;

import java.util.List;

/**
 * Diego's action tree: the work done in an instance's or a task's container. On the wire each
 * action is an object with one key naming its kind ({@code {"run": {...}}}); that mapping lives at
 * the JSON edge, not here.
 */
public sealed interface Action
    permits Action.Run, Action.Download, Action.Upload, Action.Serial, Action.Parallel,
        Action.Codependent, Action.EmitProgress, Action.Timeout, Action.Try {

  /** The log source this action's output is tagged with, or null to inherit its parent's. */
  String logSource();

  /** Runs a process in the container. */
  record Run(String path, List<String> args, String dir, List<EnvVar> env, ResourceLimits resourceLimits,
             String user, String logSource) implements Action {
    public Run {
      args = args == null ? List.of() : List.copyOf(args);
      env = env == null ? List.of() : List.copyOf(env);
    }
  }

  /** Fetches a .tgz or .zip archive and unpacks it into the container at {@code to}. */
  record Download(String artifact, String from, String to, String user, String cacheKey, String logSource) implements Action {}

  /** POSTs one file of the container to a URL. */
  record Upload(String artifact, String from, String to, String user, String logSource) implements Action {}

  /** Runs its actions one after another; the first failure fails it. */
  record Serial(List<Action> actions, String logSource) implements Action {
    public Serial {
      actions = actions == null ? List.of() : List.copyOf(actions);
    }
  }

  /** Runs its actions at once and waits for all; fails with the first failure. */
  record Parallel(List<Action> actions, String logSource) implements Action {
    public Parallel {
      actions = actions == null ? List.of() : List.copyOf(actions);
    }
  }

  /** Runs its actions at once; when any exits, the others are stopped and it fails. */
  record Codependent(List<Action> actions, String logSource) implements Action {
    public Codependent {
      actions = actions == null ? List.of() : List.copyOf(actions);
    }
  }

  /** Logs a message before its action runs, and one after it succeeds or fails. */
  record EmitProgress(Action action, String startMessage, String successMessage, String failureMessagePrefix,
                      String logSource) implements Action {}

  /** Fails its action when it has not ended within {@code timeout} nanoseconds. */
  record Timeout(Action action, long timeout, String logSource) implements Action {}

  /** Runs its action and ignores its failure. */
  record Try(Action action, String logSource) implements Action {}

  /** One environment variable. */
  record EnvVar(String name, String value) {}

  /** Limits of one process; only the open-file limit is enforced, as in Diego. */
  record ResourceLimits(Long nofile) {}

  /** The actions directly inside this one. */
  static List<Action> children(Action a) {
    return switch (a) {
      case Serial s -> s.actions();
      case Parallel p -> p.actions();
      case Codependent c -> c.actions();
      case EmitProgress e -> e.action() == null ? List.of() : List.of(e.action());
      case Timeout t -> t.action() == null ? List.of() : List.of(t.action());
      case Try t -> t.action() == null ? List.of() : List.of(t.action());
      case Run r -> List.of();
      case Download d -> List.of();
      case Upload u -> List.of();
    };
  }
}
