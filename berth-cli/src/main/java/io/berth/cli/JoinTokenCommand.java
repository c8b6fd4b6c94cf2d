package io.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth join-token}: prints the token that lets nodes join, or the whole line a new node runs. */
@Command(name = "join-token", mixinStandardHelpOptions = true, description = "Print the join token that lets a node join this cluster.")
final class JoinTokenCommand extends ApiCommand {
  @Option(names = "--command", description = {"Print the whole line a new node runs: 'berth join' with every manager's cluster address,",
      "the token (it pins the cluster CA) and '--advertise auto'."})
  boolean command;

  @Override
  public Integer call() {
    String token = api().get("/v1/join-token").path("token").asText();
    out().println(command ? JoinLine.of(api().get("/v1/managers"), token, client.apiUrl()) : token);
    out().flush();
    return 0;
  }
}
