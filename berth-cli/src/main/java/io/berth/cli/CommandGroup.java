package io.berth.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only gathers its subcommands ({@code berth lrp}, {@code berth user} …): run bare,
 * it is a usage error that names them, in the order they are declared.
 */
abstract class CommandGroup implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing a command: " + names(spec));
  }

  /** {@code create, ls or revoke}: each subcommand once, by its name (picocli also lists it under its aliases). */
  static String names(CommandSpec spec) {
    List<String> names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct().toList();
    if (names.size() == 1) return names.get(0);
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
