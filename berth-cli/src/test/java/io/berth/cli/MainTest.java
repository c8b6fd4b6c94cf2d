package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Main builds only the subcommand the first word names, and every one when it names none. */
class MainTest {
  @Test
  void eachNameInTheTableIsTheNameItsCommandDeclares() {
    Main.commands().forEach((name, type) -> assertThat(type.getAnnotation(Command.class).name()).as(type.getName()).isEqualTo(name));
  }

  @Test
  void theServersAreCommandsAndTheLauncherNamesTheSame() throws Exception {
    assertThat(Main.commands()).containsKeys(Main.SERVERS.toArray(new String[0]));
    String launcher = Files.readString(Path.of("..", "berth"));
    assertThat(launcher).contains("  dev) berth_dev_opts", "  manage|join|sim|router) ;;");
    assertThat(Main.SERVERS).containsExactlyInAnyOrder("dev", "manage", "join", "sim", "router");
  }

  @Test
  void aNamedCommandGetsOnlyItsOwnSubcommand() {
    assertThat(Main.commandLine("nodes", "--json").getSubcommands().keySet()).containsExactly("nodes");
    assertThat(Main.commandLine("lrp", "list").getSubcommands().get("lrp").getSubcommands()).containsKey("list");
  }

  @Test
  void helpAndUnknownWordsGetEveryCommandInOrder() {
    assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Main.commands().keySet());
    assertThat(Main.commandLine("help", "nodes").getSubcommands().keySet()).containsExactlyElementsOf(Main.commands().keySet());
    assertThat(Main.commandLine("--help").getSubcommands().keySet()).containsExactlyElementsOf(Main.commands().keySet());
  }

  @Test
  void theUsageStillListsEveryCommand() {
    StringWriter out = new StringWriter();
    assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help")).isZero();
    assertThat(out.toString()).contains("  dev ", "  nodes ", "  whoami ", "  version ", "  help ");
  }

  @Test
  void anUnknownCommandIsAUsageErrorThatSuggestsAKnownOne() {
    StringWriter err = new StringWriter();
    assertThat(Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "node")).isEqualTo(2);
    assertThat(Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "nodez")).isEqualTo(2);
    assertThat(err.toString()).contains("berth: Unmatched argument at index 0: 'nodez'");
  }

  @Test
  void helpForOneCommandNamesItUnderBerth() {
    StringWriter out = new StringWriter();
    CommandLine line = Main.commandLine("help", "nodes").setOut(new PrintWriter(out, true));
    assertThat(line.execute("help", "nodes")).isZero();
    assertThat(out.toString()).startsWith("Usage: berth nodes");
  }
}
