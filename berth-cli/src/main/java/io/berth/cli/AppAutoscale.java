package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth app autoscale APP --min N --max N [--cpu 60%] [--memory 70%] [--rps 50]}, {@code --off}, or (no flags) what it is. */
@Command(name = "autoscale", mixinStandardHelpOptions = true,
    description = "Have the app scale itself between --min and --max instances to hold its CPU, memory or requests per instance "
        + "at the targets (Kubernetes' HPA), or turn that --off. Without flags, show its autoscaling. See docs/autoscale.md.")
final class AppAutoscale extends ApiCommand {
  @Parameters(paramLabel = "NAME", description = "The app.")
  String name;

  @Option(names = "--min", paramLabel = "N", description = "The fewest instances, 1 or more.")
  Integer min;

  @Option(names = "--max", paramLabel = "N", description = "The most instances, at most 1000.")
  Integer max;

  @Option(names = "--cpu", paramLabel = "PERCENT", description = "Target CPU per instance, in percent of one CPU (e.g. 60%).")
  String cpu;

  @Option(names = "--memory", paramLabel = "PERCENT", description = "Target memory per instance, in percent of its limit (e.g. 70%).")
  String memory;

  @Option(names = "--rps", paramLabel = "N", description = "Target requests per second per instance, through the routers (e.g. 50).")
  Double rps;

  @Option(names = "--off", description = "Turn autoscaling off; the app keeps the instances it has.")
  boolean off;

  @Override
  public Integer call() {
    String path = AppCommand.path(name) + "/autoscale";
    boolean setting = min != null || max != null || cpu != null || memory != null || rps != null;
    if (off && setting) throw new ParameterException(spec.commandLine(), "--off takes no other flag");
    if (off) return deleted(path, "autoscaling of " + name + " is off; it keeps its instances");
    if (!setting) {
      out().println(describe(api().get(path)));
      out().flush();
      return 0;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("min", min);
    body.put("max", max);
    if (cpu != null) body.put("cpu", cpu);
    if (memory != null) body.put("memory", memory);
    if (rps != null) body.put("requests_per_instance", rps);
    out().println(describe(api().put(path, Json.bytes(body), Map.of())));
    out().flush();
    return 0;
  }

  /** {@code web autoscales between 2 and 10 instances: cpu 60%, requests_per_instance 50 (set by ann)}. */
  static String describe(JsonNode r) {
    JsonNode a = r.path("autoscale");
    List<String> targets = new ArrayList<>();
    for (String k : List.of("cpu", "memory", "requests_per_instance")) {
      JsonNode v = a.path(k);
      if (!v.isNull() && !v.isMissingNode()) targets.add(k + " " + (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) ? v.asLong() : v.asText()));
    }
    return r.path("app").asText() + " autoscales between " + a.path("min").asInt() + " and " + a.path("max").asInt() + " instances: "
        + String.join(", ", targets) + " (set by " + r.path("set_by").asText() + ")";
  }
}
