package io.berth.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The berth command: one program, one subcommand per role (as swarm, nomad and k3s). */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A container cloud: the Docker API over a cluster of engines, kept running.",
    subcommands = {DevCommand.class, ManageCommand.class, ManagersCommand.class, JoinCommand.class, NodesCommand.class,
        ListCommand.class, JoinTokenCommand.class, SimCommand.class, LrpCommand.class, TaskCommand.class, AppCommand.class,
        DomainCommand.class, NodeCommand.class, RouterCommand.class, ImageCommand.class, BundleCommand.class,
        LoginCommands.Login.class, LoginCommands.Logout.class, LoginCommands.Whoami.class, UserCommand.class, TokenCommand.class,
        MemberCommand.class, AuditCommand.class, BackupCommand.class, RestoreCommand.class,
        VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
  public static int execute(String... args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    return commandLine().execute(args);
  }

  /** As {@link #execute(String...)}, with the commands' output and errors going to {@code out} and {@code err}. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  private static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(Main::failure)
        .setParameterExceptionHandler(Main::usageError);
  }

  /** One line on stderr, never a stack trace (unless BERTH_DEBUG is set). */
  private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof UncheckedIOException)) t = t.getCause();
    cmd.getErr().println(name(cmd) + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    if (System.getenv("BERTH_DEBUG") != null) e.printStackTrace(cmd.getErr());
    return 1;
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println(name(cmd) + ": " + e.getMessage());
    cmd.getErr().println("Try '" + name(cmd) + " --help'.");
    return 2;
  }

  /** The command as typed: {@code berth lrp create}. */
  private static String name(CommandLine cmd) {
    return cmd.getParent() == null ? cmd.getCommandName() : name(cmd.getParent()) + " " + cmd.getCommandName();
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"berth " + version()};
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
