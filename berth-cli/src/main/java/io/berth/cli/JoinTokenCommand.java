package io.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth join-token}: prints the token that lets nodes join. */
@Command(name = "join-token", mixinStandardHelpOptions = true, description = "Print the join token that lets a node join this cluster.")
final class JoinTokenCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Override
  public Integer call() {
    System.out.println(client.client().get("/v1/join-token").path("token").asText());
    return 0;
  }
}
