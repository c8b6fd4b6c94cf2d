package io.berth.core.lrp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The shape of an action tree (actions.md), checked recursively. Paths follow the wire form, where
 * each action is an object with one key naming it: {@code action.serial.actions[1].run.path}.
 */
final class ActionChecks {
  /** A scheme, a host (with an optional port), and anything after; no whitespace. */
  private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/?#]+(?:[/?#]\\S*)?");

  private ActionChecks() {}

  static void check(Problems p, String path, Action a) {
    switch (a) {
      case Action.Run r -> {
        String at = path + ".run";
        if (!LrpValidation.present(r.path())) p.add(at + ".path", "required");
        if (!LrpValidation.present(r.user())) p.add(at + ".user", "required");
        LrpValidation.env(p, at + ".env", r.env());
        if (r.resourceLimits() != null && r.resourceLimits().nofile() != null && r.resourceLimits().nofile() < 0) {
          p.add(at + ".resource_limits.nofile", "must be >= 0, got " + r.resourceLimits().nofile());
        }
      }
      case Action.Download d -> {
        String at = path + ".download";
        if (!LrpValidation.present(d.from())) p.add(at + ".from", "required");
        else url(p, at + ".from", d.from());
        absolutePath(p, at + ".to", d.to());
        if (!LrpValidation.present(d.user())) p.add(at + ".user", "required");
      }
      case Action.Upload u -> {
        String at = path + ".upload";
        absolutePath(p, at + ".from", u.from());
        if (!LrpValidation.present(u.to())) p.add(at + ".to", "required");
        else url(p, at + ".to", u.to());
        if (!LrpValidation.present(u.user())) p.add(at + ".user", "required");
      }
      case Action.Serial s -> list(p, path + ".serial", s.actions());
      case Action.Parallel s -> list(p, path + ".parallel", s.actions());
      case Action.Codependent s -> list(p, path + ".codependent", s.actions());
      case Action.EmitProgress e -> inner(p, path + ".emit_progress", e.action());
      case Action.Timeout t -> {
        inner(p, path + ".timeout", t.action());
        if (t.timeout() <= 0) p.add(path + ".timeout.timeout", "must be > 0 nanoseconds, got " + t.timeout());
      }
      case Action.Try t -> inner(p, path + ".try", t.action());
    }
  }

  private static void list(Problems p, String at, List<Action> actions) {
    if (actions.isEmpty()) {
      p.add(at + ".actions", "must list at least one action");
      return;
    }
    // The records copy their lists with List.copyOf, which refuses nulls; a null entry on the wire
    // is the edge's to report, before a record exists.
    for (int i = 0; i < actions.size(); i++) check(p, at + ".actions[" + i + "]", actions.get(i));
  }

  private static void inner(Problems p, String at, Action a) {
    if (a == null) p.add(at + ".action", "required");
    else check(p, at + ".action", a);
  }

  private static void absolutePath(Problems p, String at, String path) {
    if (!LrpValidation.present(path)) p.add(at, "required");
    else if (!path.startsWith("/")) p.add(at, "must be an absolute path, got " + Problems.quote(path));
  }

  static void url(Problems p, String at, String url) {
    if (!HTTP_URL.matcher(url).matches()) p.add(at, "must be an http:// or https:// URL, got " + Problems.quote(url));
  }
}
