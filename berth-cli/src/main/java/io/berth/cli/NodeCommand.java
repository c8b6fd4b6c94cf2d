package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth node …}: acting on one node ({@code berth nodes} lists them). */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Act on one node: add it, drain it, or end its drain.",
    subcommands = {NodeCommand.Add.class, NodeCommand.Drain.class, NodeCommand.Undrain.class})
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

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Print the ssh line that makes HOST a node: it writes the join line ('berth join-token --command')",
          "into the berth package's /etc/berth/agent.env and starts berth-agent. Run it, or pipe it to sh."})
  static final class Add extends ApiCommand {
    @Parameters(index = "0", paramLabel = "HOST", description = "The new node's host name or address, as ssh reaches it.")
    String host;

    @Option(names = "--user", defaultValue = "root", paramLabel = "USER", description = "The ssh user (default: ${DEFAULT-VALUE}); not root: sudo.")
    String user;

    @Option(names = "--ssh-port", paramLabel = "PORT", description = "ssh's port, when not 22.")
    Integer sshPort;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for the node, e.g. berth.build=true (repeatable).")
    List<String> labels = new ArrayList<>();

    @Override
    public Integer call() {
      // The line goes through two shells (ssh's and the remote one): only characters neither reads.
      refuseUnless(host.matches("[A-Za-z0-9][A-Za-z0-9.:\\[\\]-]*"), "HOST '" + host + "' is not a host name or address");
      refuseUnless(user.matches("[A-Za-z_][A-Za-z0-9_.-]*"), "--user '" + user + "' is not a user name");
      for (String l : labels) refuseUnless(l.matches("[A-Za-z0-9._/-]+=[A-Za-z0-9._/:-]*"), "--label '" + l + "' is not KEY=VALUE");
      String token = api().get("/v1/join-token").path("token").asText();
      String args = JoinLine.of(api().get("/v1/managers"), token, client.apiUrl()).replaceFirst("^berth join ", "");
      for (String l : labels) args += " --label " + l;
      String sudo = user.equals("root") ? "" : "sudo ";
      String remote = "echo 'BERTH_AGENT_ARGS=\\\"" + args + "\\\"' | " + sudo + "tee /etc/berth/agent.env >/dev/null && " + sudo
          + "systemctl enable --now berth-agent";
      out().println("ssh " + (sshPort == null ? "" : "-p " + sshPort + " ") + user + "@" + host + " \"" + remote + "\"");
      out().flush();
      return 0;
    }

    private void refuseUnless(boolean ok, String why) {
      if (!ok) throw new ParameterException(spec.commandLine(), why);
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
