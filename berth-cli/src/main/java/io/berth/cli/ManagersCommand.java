package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code berth managers}: the cluster's live managers, and which one leads. */
@Command(name = "managers", mixinStandardHelpOptions = true, description = "List the cluster's managers and which one is the leader.")
final class ManagersCommand extends TableView {
  @Override
  String path() {
    return "/v1/managers";
  }

  @Override
  void print(JsonNode managers) {
    new Table("NAME", "API", "CLUSTER", "DOCKER", "LEADER", "SINCE", "VERSION")
        .rows(managers, m -> new Object[] {m.path("name").asText(), m.path("api").asText(), m.path("cluster").asText(),
            m.path("docker").isNull() || m.path("docker").isMissingNode() ? "-" : m.path("docker").asText(),
            m.path("leader").asBoolean() ? "yes" : "no", NodesCommand.ago(m.path("since").asText()), m.path("version").asText()})
        .print(out());
  }
}
