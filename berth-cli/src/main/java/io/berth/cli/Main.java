package io.berth.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The berth command: one program, one subcommand per role (as swarm, nomad and k3s). */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A container cloud: the Docker API over a cluster of engines, kept running.")
public final class Main implements Runnable {
  /**
   * The subcommands by name, in the order help lists them. Picocli reads every annotated command
   * it is given, by reflection, before it parses a word: for all of these that was most of a
   * client command's start. So a command line gets only the subcommand its first word names, and
   * all of them only when it names none (help, a usage error, an unknown word).
   */
  static Map<String, Class<?>> commands() {
    return Commands.ALL;
  }

  /** Holds the commands, so that loading Main (as the quick path does) loads none of their classes. */
  private static final class Commands {
    static final Map<String, Class<?>> ALL = all();
  }

  /**
   * The commands that run servers (as the launcher names them for the JVM's server flags): only
   * they route java.util.logging into the log, whose set-up a client command need not pay for.
   */
  static final Set<String> SERVERS = Set.of("dev", "manage", "join", "sim", "router");

  private static Map<String, Class<?>> all() {
    Map<String, Class<?>> c = new LinkedHashMap<>();
    c.put("dev", DevCommand.class);
    c.put("manage", ManageCommand.class);
    c.put("managers", ManagersCommand.class);
    c.put("join", JoinCommand.class);
    c.put("nodes", NodesCommand.class);
    c.put("list", ListCommand.class);
    c.put("join-token", JoinTokenCommand.class);
    c.put("sim", SimCommand.class);
    c.put("lrp", LrpCommand.class);
    c.put("task", TaskCommand.class);
    c.put("app", AppCommand.class);
    c.put("alert", AlertCommand.class);
    c.put("domain", DomainCommand.class);
    c.put("node", NodeCommand.class);
    c.put("router", RouterCommand.class);
    c.put("image", ImageCommand.class);
    c.put("build", BuildCommand.class);
    c.put("bundle", BundleCommand.class);
    c.put("login", LoginCommands.Login.class);
    c.put("logout", LoginCommands.Logout.class);
    c.put("whoami", LoginCommands.Whoami.class);
    c.put("user", UserCommand.class);
    c.put("token", TokenCommand.class);
    c.put("member", MemberCommand.class);
    c.put("audit", AuditCommand.class);
    c.put("backup", BackupCommand.class);
    c.put("restore", RestoreCommand.class);
    c.put("version", VersionCommand.class);
    c.put("help", CommandLine.HelpCommand.class);
    return c;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    int quick = QuickViews.run(args); // as `java -jar berth.jar` runs; the launcher starts quick lines at QuickViews
    if (quick == QuickViews.NOT_MINE) System.exit(execute(args));
    QuickViews.halt(quick);
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
  public static int execute(String... args) {
    if (args.length > 0 && SERVERS.contains(args[0])) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    return commandLine(args).execute(args);
  }

  /** As {@link #execute(String...)}, with the commands' output and errors going to {@code out} and {@code err}. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(args).setOut(out).setErr(err).execute(args);
  }

  /** The command line for {@code args}: with the one subcommand its first word names, else with all. */
  static CommandLine commandLine(String... args) {
    CommandLine line = new CommandLine(new Main());
    Class<?> named = args.length == 0 ? null : commands().get(args[0]);
    if (named != null && named != CommandLine.HelpCommand.class) line.addSubcommand(args[0], named);
    else commands().forEach(line::addSubcommand);
    return line.setExecutionStrategy(Main::runAndCloseApi).setExecutionExceptionHandler(Main::failure)
        .setParameterExceptionHandler(Main::usageError);
  }

  /** Runs the command, then closes its API client: a client left open holds up the JVM's exit. */
  private static int runAndCloseApi(CommandLine.ParseResult parsed) {
    try {
      return new CommandLine.RunLast().execute(parsed);
    } finally {
      List<CommandLine> commands = parsed.asCommandLineList();
      if (commands.get(commands.size() - 1).getCommand() instanceof ApiCommand command) command.closeApi();
    }
  }

  /** One line on stderr, never a stack trace (unless BERTH_DEBUG is set). */
  private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    return ErrorLine.print(e, name(cmd), cmd.getErr());
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
      return new String[] {"berth " + VersionCommand.version()};
    }
  }
}
