package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth node …}: acting on one node ({@code berth nodes} lists them). */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Act on one node: drain it, or end its drain.",
    subcommands = {NodeCommand.Drain.class, NodeCommand.Undrain.class})
final class NodeCommand extends CommandGroup {
  /** The node a subcommand acts on: its NAME argument. */
  static final class Name {
    @Parameters(index = "0", paramLabel = "NAME", description = "The node's name.")
    String name;

    /** {@code /v1/nodes/NAME/drain}: a POST starts the drain, a DELETE ends it. */
    String drain() {
      return "/v1/nodes/" + ApiClient.segment(name) + "/drain";
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Place nothing more on a node and move its instances elsewhere.")
  static final class Drain extends ApiCommand {
    @Mixin
    Name node;

    @Option(names = "--watch", description = "Then wait until no instance is left on it.")
    boolean watch;

    @Override
    public Integer call() {
      String name = node.name;
      api().post(node.drain(), null);
      out().println(name + ": draining");
      out().flush();
      if (!watch) return 0;
      int[] last = {-1};
      boolean drained = Watch.until(() -> {
        int left = 0;
        for (JsonNode a : api().get("/v1/actual_lrps")) if (a.path("cell_id").asText().equals(name)) left++;
        if (left != last[0] && left > 0) {
          out().println(name + ": " + left + (left == 1 ? " instance" : " instances") + " left");
          out().flush();
        }
        last[0] = left;
        return left == 0;
      });
      if (!drained) return INTERRUPTED;
      out().println(name + ": drained");
      return 0;
    }
  }

  @Command(name = "undrain", mixinStandardHelpOptions = true,
      description = "End a node's drain: LRP instances and tasks may be placed on it again.")
  static final class Undrain extends ApiCommand {
    @Mixin
    Name node;

    @Override
    public Integer call() {
      return deleted(node.drain(), node.name + ": accepting work");
    }
  }
}
