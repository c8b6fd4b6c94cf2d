package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.scheduler.PlacementRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's state as {@code GET /containers/{id}/json} tells it, enough to write the
 * {@code Status} column of {@code docker ps} ("Up 5 minutes", "Exited (0) 2 hours ago") at any
 * later moment, the way the engine writes it, so a cached listing never shows a stale age.
 */
public record ContainerStatus(boolean running, boolean paused, boolean restarting, boolean dead, boolean removing,
    Instant created, Instant startedAt, Instant finishedAt, int exitCode, String health, List<PlacementRequest.HostPort> hostNetworkPorts) {

  /** Docker's zero time, {@code 0001-01-01T00:00:00Z}, read as "never". */
  private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

  public static ContainerStatus of(JsonNode inspect) {
    JsonNode s = inspect.path("State");
    String health = s.path("Health").path("Status").asText("");
    return new ContainerStatus(s.path("Running").asBoolean(), s.path("Paused").asBoolean(), s.path("Restarting").asBoolean(),
        s.path("Dead").asBoolean(), s.path("Status").asText().equals("removing"), time(inspect.path("Created").asText("")),
        time(s.path("StartedAt").asText("")), time(s.path("FinishedAt").asText("")), s.path("ExitCode").asInt(), health,
        hostNetworkPorts(inspect));
  }

  /**
   * The ports a container on the host's network takes on its node: all it exposes. The engine's
   * {@code Config.ExposedPorts} already holds the image's {@code EXPOSE} with the container's own {@code --expose}.
   */
  static List<PlacementRequest.HostPort> hostNetworkPorts(JsonNode inspect) {
    if (!inspect.path("HostConfig").path("NetworkMode").asText("").equals("host")) return List.of();
    List<PlacementRequest.HostPort> out = new ArrayList<>();
    inspect.path("Config").path("ExposedPorts").fieldNames().forEachRemaining(p -> {
      try {
        out.add(PlacementRequest.HostPort.exposed(p));
      } catch (IllegalArgumentException e) {
        // not a port the engine would have bound: nothing taken
      }
    });
    return List.copyOf(out);
  }

  /** The {@code State} word of a listing: created, running, paused, restarting, removing, exited or dead. */
  public String word() {
    if (running) return paused ? "paused" : restarting ? "restarting" : "running";
    if (removing) return "removing";
    if (dead) return "dead";
    return startedAt.equals(NEVER) ? "created" : "exited";
  }

  /** The {@code Status} text at {@code now}, as the engine's {@code State.String()} writes it. */
  public String text(Instant now) {
    if (running) {
      if (paused) return "Up " + human(Duration.between(startedAt, now)) + " (Paused)";
      if (restarting) return "Restarting (" + exitCode + ") " + human(Duration.between(finishedAt, now)) + " ago";
      if (!health.isEmpty() && !health.equals("none")) {
        return "Up " + human(Duration.between(startedAt, now)) + " (" + (health.equals("starting") ? "health: starting" : health) + ")";
      }
      return "Up " + human(Duration.between(startedAt, now));
    }
    if (removing) return "Removal In Progress";
    if (dead) return "Dead";
    if (startedAt.equals(NEVER)) return "Created";
    if (finishedAt.equals(NEVER)) return "";
    return "Exited (" + exitCode + ") " + human(Duration.between(finishedAt, now)) + " ago";
  }

  /** Docker's {@code units.HumanDuration}. */
  public static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) return seconds + " seconds";
    long minutes = d.toMinutes();
    if (minutes == 1) return "About a minute";
    if (minutes < 60) return minutes + " minutes";
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (hours == 1) return "About an hour";
    if (hours < 48) return hours + " hours";
    if (hours < 24 * 7 * 2) return hours / 24 + " days";
    if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
    if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
    return d.toHours() / 24 / 365 + " years";
  }

  private static Instant time(String text) {
    if (text.isEmpty()) return NEVER;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return NEVER;
    }
  }
}
