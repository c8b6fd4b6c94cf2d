package io.berth.core.app;

import io.berth.core.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An app as its manifest describes it (docs/apps.md). One shape for both stages: as read, any
 * field may be null (absent); {@link ManifestRules#resolve} fills the absent ones from the app's
 * previous version or the defaults and checks the whole, and only a resolved manifest becomes a
 * version. Durations stay the text the user wrote ({@code 2s}); the accessors parse them.
 * {@code autoscale} (docs/autoscale.md), when a deploy names it, replaces the app's autoscaling.
 */
public record AppManifest(String name, String image, List<String> command, Integer instances, Double cpus, String memory,
                          Map<String, String> env, List<Integer> ports, Health health, List<String> routes,
                          String routerGroup, Deploy deploy, List<Alert> alerts, Autoscale autoscale) {
  public AppManifest {
    command = command == null ? null : List.copyOf(command);
    env = env == null ? null : Map.copyOf(env);
    ports = ports == null ? null : List.copyOf(ports);
    routes = routes == null ? null : List.copyOf(routes);
    alerts = alerts == null ? null : List.copyOf(alerts);
  }

  /**
   * An alert rule the app carries (docs/alerts.md): a deploy replaces the rules of the manifest and
   * leaves those added with {@code berth alert add}. In YAML {@code forDuration} is {@code for}.
   */
  public record Alert(String name, String when, String forDuration, String severity, List<String> webhooks, List<String> emails) {}

  /** How instances are checked: an HTTP GET of {@code http} on {@code port} answering 2xx, or (no {@code http}) a TCP connect. */
  public record Health(String http, Integer port, String interval, String timeout, String startTimeout) {
    public Duration intervalDuration() {
      return Durations.parse(interval);
    }

    public Duration timeoutDuration() {
      return Durations.parse(timeout);
    }

    public Duration startTimeoutDuration() {
      return Durations.parse(startTimeout);
    }
  }

  /** How a new version replaces the running one. */
  public record Deploy(Strategy strategy, Integer maxSurge, Integer maxUnavailable, String minHealthy, Integer canaries,
                       String deadline) {
    public Duration minHealthyDuration() {
      return Durations.parse(minHealthy);
    }

    public Duration deadlineDuration() {
      return Durations.parse(deadline);
    }
  }

  /** The release strategies. */
  public enum Strategy {
    ROLLING("rolling"), CANARY("canary"), BLUE_GREEN("blue-green");

    private final String word;

    Strategy(String word) {
      this.word = word;
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /** This manifest with another image. */
  public AppManifest withImage(String other) {
    return new AppManifest(name, other, command, instances, cpus, memory, env, ports, health, routes, routerGroup, deploy, alerts, autoscale);
  }

  /** This manifest with another instance count. */
  public AppManifest withInstances(int n) {
    return new AppManifest(name, image, command, n, cpus, memory, env, ports, health, routes, routerGroup, deploy, alerts, autoscale);
  }

  /** Memory in MiB ({@code 64m} → 64, {@code 1g} → 1024); the manifest must be resolved. */
  public int memoryMb() {
    return ManifestRules.memoryMb(memory);
  }
}
