package io.berth.core.metrics;

import io.berth.core.app.AppLrps;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an agent's labels on a container say about it: the app and version of an app's instance
 * ({@code io.berth.domain=apps}, {@code io.berth.process-guid=APP-vN}), its instance guid and
 * index, and who made it through the Docker endpoint ({@code io.berth.owner}). Empty strings (and
 * -1) where a label is missing.
 */
public record ContainerLabels(String app, int version, String instance, int index, String owner) {
  public static final String DOMAIN = "io.berth.domain";
  public static final String PROCESS_GUID = "io.berth.process-guid";
  public static final String INSTANCE_GUID = "io.berth.instance-guid";
  public static final String INDEX = "io.berth.index";
  public static final String OWNER = "io.berth.owner";
  private static final Pattern APP_VERSION = Pattern.compile("^(.+)-v(\\d{1,9})$");

  public static ContainerLabels of(Map<String, String> labels) {
    String app = "";
    int version = -1;
    Matcher m = APP_VERSION.matcher(labels.getOrDefault(PROCESS_GUID, ""));
    if (AppLrps.DOMAIN.equals(labels.get(DOMAIN)) && m.matches()) {
      app = m.group(1);
      version = Integer.parseInt(m.group(2));
    }
    int index = -1;
    try {
      index = Integer.parseInt(labels.getOrDefault(INDEX, "-1"));
    } catch (NumberFormatException ignored) {
      // not ours
    }
    return new ContainerLabels(app, version, labels.getOrDefault(INSTANCE_GUID, ""), index, labels.getOrDefault(OWNER, ""));
  }

  /** True when the labels name an app's instance. */
  public boolean isApp() {
    return !app.isEmpty();
  }

  /** Only Berth's own labels: what travels with a sample. */
  public static Map<String, String> berthOnly(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) if (e.getKey().startsWith("io.berth.")) out.put(e.getKey(), e.getValue());
    return out;
  }
}
