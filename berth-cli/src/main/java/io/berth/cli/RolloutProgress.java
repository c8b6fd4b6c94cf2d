package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person watching an app's rollout reads, from the AppStatus answers of the manager: a
 * compact line each time the rollout says something new (phase, counts or message), the same line
 * with the seconds waited when nothing has changed for {@link #QUIET} (a watch is never silent
 * for long), and how the watch ends. Deciding is pure, the time comes in; {@link #follow} polls.
 */
final class RolloutProgress {
  static final Duration QUIET = Duration.ofSeconds(5);
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** How a watch ended: its exit code and the line that says why. */
  record End(int exit, String line) {}

  private final boolean aborting;
  private final long startNanos;
  private String last;
  private long lastNanos;

  /** {@code aborting}: the watch of {@code berth app abort}, which an aborted rollout ends well. */
  RolloutProgress(boolean aborting, long startNanos) {
    this.aborting = aborting;
    this.startNanos = startNanos;
  }

  /** The line to print for this answer at {@code nowNanos}, or null when it would repeat the last too soon. */
  String line(JsonNode status, long nowNanos) {
    String line = progress(status);
    if (line.equals(last) && nowNanos - lastNanos < QUIET.toNanos()) return null;
    boolean again = line.equals(last);
    last = line;
    lastNanos = nowNanos;
    return again ? line + " (" + Duration.ofNanos(nowNanos - startNanos).toSeconds() + "s)" : line;
  }

  /** The end this answer shows, or null while the rollout goes on. */
  End end(JsonNode status) {
    String name = status.path("name").asText();
    JsonNode r = status.path("rollout");
    if (!r.isObject()) return new End(0, name + ": no rollout");
    String version = name + " v" + r.path("to").asInt();
    String message = r.path("message").asText("");
    List<String> older = older(r);
    int healthy = r.path("new_healthy").asInt();
    boolean abort = r.path("action").asText().equals("abort");
    return switch (r.path("phase").asText()) {
      case "succeeded" -> new End(0, switch (r.path("action").asText()) {
        case "rollback" -> name + " rolled back to v" + r.path("to").asInt() + ": " + instances(healthy) + " healthy";
        case "scale" -> version + " scaled: " + instances(healthy) + " healthy";
        case "abort" -> name + " aborted" + (message.isEmpty() ? "" : ": " + message);
        default -> version + " deployed: " + instances(healthy) + " healthy";
      });
      case "failed" -> new End(1, version + " failed" + (message.isEmpty() ? "" : ": " + message)
          + (older.isEmpty() || message.contains("rolled back") ? "" : " — rolled back to " + String.join(", ", older)));
      // An abort rollout's "to" may be the version it returns to, so its line names none.
      case "aborted" -> new End(aborting ? 0 : 1, (abort ? name : version) + " aborted" + (message.isEmpty() ? "" : ": " + message));
      case "canary" -> aborting ? null : new End(0, version + ": " + healthy + (healthy == 1 ? " canary" : " canaries")
          + " running" + (older.isEmpty() ? "" : " beside " + String.join(", ", older))
          + "; berth app promote " + name + " | berth app abort " + name);
      default -> null;
    };
  }

  /** {@code hello v2 (rolling): 2/3 new healthy, 1 old remaining}, and the manager's message when it says more. */
  static String progress(JsonNode status) {
    String name = status.path("name").asText();
    JsonNode r = status.path("rollout");
    if (!r.isObject()) return name + ": no rollout";
    String action = r.path("action").asText();
    String label = action.equals("deploy") ? r.path("strategy").asText("deploy") : action;
    String message = r.path("message").asText("");
    // A canary's count is of its canaries, not of the target: the manager's message says it ("0 of 1 canaries …").
    if (label.equals("canary") && !message.isEmpty()) {
      return name + " v" + r.path("to").asInt() + " (canary): " + message;
    }
    Set<Integer> counts = new HashSet<>(List.of(r.path("new_healthy").asInt(), r.path("target").asInt()));
    StringBuilder b = new StringBuilder(name).append(" v").append(r.path("to").asInt()).append(" (").append(label).append("): ")
        .append(r.path("new_healthy").asInt()).append('/').append(r.path("target").asInt())
        .append(action.equals("scale") || older(r).isEmpty() ? " healthy" : " new healthy");
    if (!older(r).isEmpty()) {
      b.append(", ").append(r.path("old_remaining").asInt()).append(" old remaining");
      counts.add(r.path("old_remaining").asInt());
    }
    // The manager's message mostly restates the counts ("2 of 3 new instances healthy, 1 old
    // remaining"); it is shown when it holds other numbers or none, e.g. why an instance waits.
    if (!message.isEmpty() && !numbers(message).equals(counts)) b.append(" — ").append(message);
    return b.toString();
  }

  /**
   * Prints the progress of the rollout in {@code first} (the answer that started it), polling the
   * app until it ends: 0 when it ended well, {@link ApiCommand#INTERRUPTED} when interrupted; a
   * rollout that failed or was aborted is an exception whose message is its last line.
   */
  static int follow(ApiClient api, JsonNode first, boolean aborting, PrintWriter out) {
    RolloutProgress p = new RolloutProgress(aborting, System.nanoTime());
    String path = AppCommand.path(first.path("name").asText());
    End[] end = {null};
    JsonNode[] status = {first};
    boolean done = Watch.until(() -> {
      if (status[0] == null) status[0] = api.get(path);
      end[0] = p.end(status[0]);
      // The end's own line says what the last progress line would, so that one is not printed.
      String line = end[0] == null ? p.line(status[0], System.nanoTime()) : null;
      if (line != null) {
        out.println(line);
        out.flush();
      }
      status[0] = null;
      return end[0] != null;
    });
    if (!done) return ApiCommand.INTERRUPTED;
    if (end[0].exit() != 0) throw new IllegalStateException(end[0].line());
    out.println(end[0].line());
    out.flush();
    return 0;
  }

  /** The versions the rollout moves away from, as {@code v1}, leaving out the one it moves to. */
  private static List<String> older(JsonNode rollout) {
    List<String> versions = new ArrayList<>();
    for (JsonNode v : rollout.path("from")) {
      if (v.asInt() != rollout.path("to").asInt()) versions.add("v" + v.asInt());
    }
    return versions;
  }

  private static String instances(int n) {
    return n + (n == 1 ? " instance" : " instances");
  }

  private static Set<Integer> numbers(String text) {
    Set<Integer> found = new HashSet<>();
    for (Matcher m = NUMBER.matcher(text); m.find(); ) {
      try {
        found.add(Integer.parseInt(m.group()));
      } catch (NumberFormatException e) {
        found.add(-1);
      }
    }
    return found;
  }
}
