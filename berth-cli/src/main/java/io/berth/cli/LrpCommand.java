package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.lrp.DesiredLrp;
import io.berth.manager.lrp.ReceptorRequests;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth lrp …}: long-running processes, Diego's DesiredLRPs and their instances, through the Receptor API. */
@Command(name = "lrp", mixinStandardHelpOptions = true,
    description = "Long-running processes (Diego's DesiredLRPs): create, list, scale, remove, and watch their instances.",
    subcommands = {LrpCommand.Create.class, LrpCommand.ListLrps.class, LrpCommand.Get.class, LrpCommand.Instances.class,
        LrpCommand.Scale.class, LrpCommand.Rm.class, LrpCommand.Kill.class})
final class LrpCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing a command: create, list, get, instances, scale, rm or kill");
  }

  static String path(String guid) {
    return "/v1/desired_lrps/" + ApiClient.segment(guid);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Desire an LRP from a Receptor DesiredLRPCreateRequest in JSON (docs/lrp.md).")
  static final class Create extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE|-", description = "The JSON file; - reads standard input.")
    String file;

    @Option(names = "--watch", description = "Then show instances becoming RUNNING until all are.")
    boolean watch;

    @Override
    public Integer call() {
      byte[] body = Manifests.read(file, System.in);
      DesiredLrp lrp = Manifests.decode(file, body, ReceptorRequests::desiredLrp);
      api().post("/v1/desired_lrps", body);
      out().println(lrp.processGuid());
      out().flush();
      if (!watch) return 0;
      return LrpInstances.awaitRunning(api(), lrp.processGuid().value(), lrp.instances(), out()) ? 0 : INTERRUPTED;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the desired LRPs with how many instances run.")
  static final class ListLrps extends ApiCommand {
    @Option(names = "--domain", paramLabel = "D", description = "Only the LRPs of this domain.")
    String domain;

    @Option(names = "--json", description = "Print the API's JSON (the DesiredLRPs) instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      JsonNode desired = api().get("/v1/desired_lrps" + ApiClient.domainQuery(domain));
      if (json) {
        printJson(desired);
        return 0;
      }
      Map<String, Integer> running = new HashMap<>();
      for (JsonNode a : api().get("/v1/actual_lrps" + ApiClient.domainQuery(domain))) {
        if (a.path("state").asText().equals("RUNNING")) running.merge(a.path("process_guid").asText(), 1, Integer::sum);
      }
      Table t = new Table("PROCESS_GUID", "DOMAIN", "INSTANCES", "RUNNING", "IMAGE");
      for (JsonNode d : desired) {
        String guid = d.path("process_guid").asText();
        t.row(guid, text(d, "domain"), d.path("instances").asInt(), running.getOrDefault(guid, 0),
            LrpInstances.image(d.path("rootfs").asText()));
      }
      t.print(out());
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one desired LRP.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "GUID", description = "The process_guid.")
    String guid;

    @Option(names = "--json", description = "Print the API's JSON (the DesiredLRP).")
    boolean json;

    @Override
    public Integer call() {
      JsonNode d = api().get(path(guid));
      if (json) {
        printJson(d);
        return 0;
      }
      int running = 0;
      for (JsonNode a : api().get("/v1/actual_lrps/" + ApiClient.segment(guid))) {
        if (a.path("state").asText().equals("RUNNING")) running++;
      }
      JsonNode tag = d.path("modification_tag");
      Table t = new Table("PROCESS_GUID", d.path("process_guid").asText())
          .row("DOMAIN", text(d, "domain"))
          .row("IMAGE", LrpInstances.image(d.path("rootfs").asText()))
          .row("INSTANCES", d.path("instances").asInt() + " desired, " + running + " running")
          .row("MEMORY_MB", d.path("memory_mb").asInt())
          .row("DISK_MB", d.path("disk_mb").asInt())
          .row("CPU_WEIGHT", d.path("cpu_weight").asInt())
          .row("PORTS", joined(d.path("ports")))
          .row("HEALTH_CHECK", d.path("health_check").isMissingNode() || d.path("health_check").isNull() ? "-"
              : d.path("health_check").toString())
          .row("ROUTES", d.path("routes").isEmpty() ? "-" : d.path("routes").toString())
          .row("ACTION", d.path("action").toString())
          .row("ANNOTATION", text(d, "annotation"))
          .row("MODIFICATION_TAG", tag.isMissingNode() || tag.isNull() ? "-" : tag.path("epoch").asText() + "/" + tag.path("index").asLong());
      t.print(out());
      return 0;
    }
  }

  @Command(name = "instances", aliases = "ps", mixinStandardHelpOptions = true,
      description = "List the instances (ActualLRPs) of an LRP; --watch redraws on every change until interrupted.")
  static final class Instances extends ApiCommand {
    @Parameters(paramLabel = "GUID", description = "The process_guid.")
    String guid;

    @Option(names = "--watch", description = "Poll every 500 ms and redraw when anything changes, until Ctrl-C.")
    boolean watch;

    @Option(names = "--json", description = "Print the API's JSON (the ActualLRPs).")
    boolean json;

    @Override
    public Integer call() {
      String path = "/v1/actual_lrps/" + ApiClient.segment(guid);
      if (!watch) {
        show(api().get(path), false);
        return 0;
      }
      JsonNode[] last = {null};
      Watch.until(() -> {
        JsonNode actuals = api().get(path);
        if (!Objects.equals(actuals, last[0])) {
          show(actuals, last[0] != null);
          last[0] = actuals;
        }
        return false;
      });
      return 0;
    }

    private void show(JsonNode actuals, boolean again) {
      if (json) {
        out().println(actuals.toString());
      } else {
        // In a terminal the table is redrawn in place; into a pipe or file each change follows the last.
        if (again) out().print(System.console() != null ? "\033[H\033[2J" : System.lineSeparator());
        LrpInstances.table(actuals, nowNanos()).print(out());
      }
      out().flush();
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true, description = "Change how many instances an LRP has.")
  static final class Scale extends ApiCommand {
    @Parameters(index = "0", paramLabel = "GUID", description = "The process_guid.")
    String guid;

    @Parameters(index = "1", paramLabel = "N", description = "The number of instances, 0 or more.")
    int instances;

    @Option(names = "--watch", description = "Then show progress until exactly N instances run.")
    boolean watch;

    @Override
    public Integer call() {
      if (instances < 0) throw new ParameterException(spec.commandLine(), "N must be 0 or more, not " + instances);
      api().put(path(guid), Json.bytes(Map.of("instances", instances)), Map.of());
      out().println(guid + ": scaled to " + instances);
      out().flush();
      if (!watch) return 0;
      return LrpInstances.awaitRunning(api(), guid, instances, out()) ? 0 : INTERRUPTED;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a desired LRP; its instances are stopped.")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "GUID", description = "The process_guid.")
    String guid;

    @Override
    public Integer call() {
      api().delete(path(guid));
      out().println(guid);
      return 0;
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = "Stop one instance; the desired state is unchanged, so it is started again.")
  static final class Kill extends ApiCommand {
    @Parameters(index = "0", paramLabel = "GUID", description = "The process_guid.")
    String guid;

    @Parameters(index = "1", paramLabel = "INDEX", description = "The instance's index.")
    int index;

    @Override
    public Integer call() {
      if (index < 0) throw new ParameterException(spec.commandLine(), "INDEX must be 0 or more, not " + index);
      api().delete("/v1/actual_lrps/" + ApiClient.segment(guid) + "/index/" + index);
      out().println(guid + "/" + index + ": killed; it will be started again");
      return 0;
    }
  }

  static String joined(JsonNode list) {
    java.util.List<String> items = new java.util.ArrayList<>();
    list.forEach(n -> items.add(n.asText()));
    return items.isEmpty() ? "-" : String.join(",", items);
  }

  static long nowNanos() {
    return ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now());
  }
}
