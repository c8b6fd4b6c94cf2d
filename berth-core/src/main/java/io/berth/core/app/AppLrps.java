package io.berth.core.app;

import io.berth.core.id.Domain;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.HealthCheck;
import io.berth.core.lrp.ModificationTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An app version as the DesiredLRP {@code APP-vN} that runs it. */
public final class AppLrps {
  /** The LRP domain of every app's LRPs, as labels and keys carry it. */
  public static final String DOMAIN = "apps";
  /** {@link #DOMAIN} as the DesiredLRPs carry it. */
  public static final Domain APPS = new Domain(DOMAIN);

  private AppLrps() {}

  public static DesiredLrp desired(AppVersion v, int instances) {
    AppManifest m = v.manifest();
    List<Action.EnvVar> env = new ArrayList<>();
    env.add(new Action.EnvVar("BERTH_APP", v.app()));
    env.add(new Action.EnvVar("BERTH_APP_VERSION", "v" + v.version()));
    for (Map.Entry<String, String> e : m.env().entrySet()) env.add(new Action.EnvVar(e.getKey(), e.getValue()));
    List<String> command = m.command();
    // As root, Docker's default user for an image that names none (Diego requires a user).
    Action run = new Action.Run(command.get(0), command.subList(1, command.size()), null, env, null, "root", "APP");
    HealthCheck check = null;
    int startTimeout = 0;
    if (m.health() != null) {
      AppManifest.Health h = m.health();
      check = new HealthCheck(h.http() == null ? HealthCheck.Kind.TCP : HealthCheck.Kind.HTTP, h.port(), h.http(),
          (int) h.intervalDuration().toMillis(), (int) h.timeoutDuration().toMillis());
      startTimeout = (int) Math.max(1, h.startTimeoutDuration().toSeconds());
    }
    int cpuWeight = (int) Math.max(1, Math.min(100, Math.round(m.cpus() * 100)));
    return new DesiredLrp(v.processGuid(), APPS, rootfs(m.image()), instances, List.of(), cpuWeight, 0, m.memoryMb(),
        false, null, run, null, check, startTimeout, m.ports(), Map.of(), v.processGuid().value(), "APP", v.processGuid().value(),
        "app " + v.app() + " v" + v.version(), List.of(), new ModificationTag("", 0));
  }

  /** {@code berth/busybox:1} → {@code docker:///berth/busybox#1}; {@code host:5000/team/app:v1} → {@code docker://host:5000/team/app#v1}. */
  public static String rootfs(String image) {
    String name = image;
    String tag = "latest";
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      name = image.substring(0, colon);
      tag = image.substring(colon + 1);
    }
    int first = name.indexOf('/');
    String head = first < 0 ? "" : name.substring(0, first);
    boolean registry = first > 0 && (head.contains(".") || head.contains(":") || head.equals("localhost"));
    return registry ? "docker://" + name + "#" + tag : "docker:///" + name + "#" + tag;
  }
}
