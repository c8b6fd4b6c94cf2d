package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.lrp.DesiredLrp;
import io.berth.manager.lrp.ReceptorRequests;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth lrp …}: long-running processes, Diego's DesiredLRPs and their instances, through the Receptor API. */
@Command(name = "lrp", mixinStandardHelpOptions = true,
    description = "Long-running processes (Diego's DesiredLRPs): create, list, scale, remove, and watch their instances.",
    subcommands = {LrpCommand.Create.class, LrpCommand.ListLrps.class, LrpCommand.Get.class, LrpCommand.Instances.class,
        LrpCommand.Scale.class, LrpCommand.Rm.class, LrpCommand.Kill.class})
final class LrpCommand extends CommandGroup {
  static String path(String guid) {
    return "/v1/desired_lrps/" + ApiClient.segment(guid);
  }

  /** The LRP a subcommand acts on: its GUID argument. */
  static final class Guid {
    @Parameters(index = "0", paramLabel = "GUID", description = "The process_guid.")
    String guid;

    String path() {
      return LrpCommand.path(guid);
    }

    /** {@code /v1/actual_lrps/GUID}: its instances. */
    String actuals() {
      return "/v1/actual_lrps/" + ApiClient.segment(guid);
    }
  }

  /** A command that sets how many instances run; with its {@code --watch}, it then follows them until they do. */
  abstract static class Desiring extends ApiCommand {
    /** Prints {@code line}, then follows the LRP's instances when watching: 130 when interrupted first. */
    int done(String line, String guid, int instances) {
      out().println(line);
      out().flush();
      if (!flag("--watch")) return 0;
      return LrpInstances.awaitRunning(api(), guid, instances, out()) ? 0 : INTERRUPTED;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Desire an LRP from a Receptor DesiredLRPCreateRequest in JSON (docs/lrp.md).")
  static final class Create extends Desiring {
    @Mixin
    Manifests.RequestFile file;

    @Option(names = "--watch", description = "Then show instances becoming RUNNING until all are.")
    boolean watch;

    @Override
    public Integer call() {
      DesiredLrp lrp = file.post(api(), "/v1/desired_lrps", ReceptorRequests::desiredLrp);
      return done(lrp.processGuid().value(), lrp.processGuid().value(), lrp.instances());
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the desired LRPs with how many instances run.")
  static final class ListLrps extends View {
    @Option(names = "--domain", paramLabel = "D", description = "Only the LRPs of this domain.")
    String domain;

    @Option(names = "--json", description = "Print the API's JSON (the DesiredLRPs) instead of a table.")
    boolean json;

    @Override
    String path() {
      return LrpInstances.desiredPath(domain);
    }

    @Override
    void print(JsonNode desired) {
      LrpInstances.desiredTable(desired, api().get(LrpInstances.actualsPath(domain))).print(out());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one desired LRP.")
  static final class Get extends View {
    @Mixin
    Guid lrp;

    @Option(names = "--json", description = "Print the API's JSON (the DesiredLRP).")
    boolean json;

    @Override
    String path() {
      return lrp.path();
    }

    @Override
    void print(JsonNode d) {
      int running = 0;
      for (JsonNode a : api().get(lrp.actuals())) {
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
          .row("PORTS", ApiCommand.joined(d.path("ports")))
          .row("HEALTH_CHECK", d.path("health_check").isMissingNode() || d.path("health_check").isNull() ? "-"
              : d.path("health_check").toString())
          .row("ROUTES", d.path("routes").isEmpty() ? "-" : d.path("routes").toString())
          .row("ACTION", d.path("action").toString())
          .row("ANNOTATION", text(d, "annotation"))
          .row("MODIFICATION_TAG", tag.isMissingNode() || tag.isNull() ? "-" : tag.path("epoch").asText() + "/" + tag.path("index").asLong());
      t.print(out());
    }
  }

  @Command(name = "instances", aliases = "ps", mixinStandardHelpOptions = true,
      description = "List the instances (ActualLRPs) of an LRP; --watch redraws on every change until interrupted.")
  static final class Instances extends ApiCommand {
    @Mixin
    Guid lrp;

    @Option(names = "--watch", description = "Poll every 500 ms and redraw when anything changes, until Ctrl-C.")
    boolean watch;

    @Option(names = "--json", description = "Print the API's JSON (the ActualLRPs).")
    boolean json;

    @Override
    public Integer call() {
      String path = lrp.actuals();
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
  static final class Scale extends Desiring {
    @Mixin
    Guid lrp;

    @Parameters(index = "1", paramLabel = "N", description = "The number of instances, 0 or more.")
    int instances;

    @Option(names = "--watch", description = "Then show progress until exactly N instances run.")
    boolean watch;

    @Override
    public Integer call() {
      if (instances < 0) throw new ParameterException(spec.commandLine(), "N must be 0 or more, not " + instances);
      api().put(lrp.path(), Json.bytes(Map.of("instances", instances)), Map.of());
      return done(lrp.guid + ": scaled to " + instances, lrp.guid, instances);
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a desired LRP; its instances are stopped.")
  static final class Rm extends ApiCommand {
    @Mixin
    Guid lrp;

    @Override
    public Integer call() {
      return deleted(lrp.path(), lrp.guid);
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = "Stop one instance; the desired state is unchanged, so it is started again.")
  static final class Kill extends ApiCommand {
    @Mixin
    Guid lrp;

    @Parameters(index = "1", paramLabel = "INDEX", description = "The instance's index.")
    int index;

    @Override
    public Integer call() {
      if (index < 0) throw new ParameterException(spec.commandLine(), "INDEX must be 0 or more, not " + index);
      api().delete(lrp.actuals() + "/index/" + index);
      out().println(lrp.guid + "/" + index + ": killed; it will be started again");
      return 0;
    }
  }

  static long nowNanos() {
    return ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now());
  }
}
