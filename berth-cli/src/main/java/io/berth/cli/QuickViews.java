package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.router.RouterConfig;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The quick path of the commands people type most ({@link QuickLine}): {@link Main} tries it before
 * picocli is touched, since picocli's model, built by reflection from class files the JDK's AOT
 * cache cannot keep, was most of what these commands cost. It prints what the picocli commands
 * print, byte for byte, through the same tables, client options and error sentences; a line it
 * does not know, an https:// manager or a failure it cannot word as they do goes the long way.
 */
final class QuickViews {
  /** What {@link #run} returns when the long way (picocli) must answer the command line. */
  static final int NOT_MINE = -1;

  private QuickViews() {}

  /**
   * The launcher's entry for the quick lines: Main, picocli's root command, is left out of their
   * start-up cache (its picocli types would have the JVM read picocli from the jar as it starts), and
   * is called only when the line is not quick after all.
   */
  public static void main(String[] args) {
    int code = run(args);
    if (code == NOT_MINE) System.exit(Main.execute(args));
    halt(code);
  }

  /**
   * Ends the JVM once a quick line is answered: its output is flushed and it leaves no hooks, and
   * System.exit would first set up the JDK's System.Logger to say that the JVM exits, about a tenth
   * of a quick command's time.
   */
  static void halt(int code) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  /** Runs {@code args} when they are a quick line, printing as picocli's writers would; else {@link #NOT_MINE}. */
  static int run(String... args) {
    QuickLine line = QuickLine.parse(args);
    if (line == null) return NOT_MINE;
    return run(line, writer(System.out, "sun.stdout.encoding"), writer(System.err, "sun.stderr.encoding"));
  }

  /** Runs {@code line}, printing to {@code out} and {@code err}; the exit code, or {@link #NOT_MINE}. */
  static int run(QuickLine line, PrintWriter out, PrintWriter err) {
    if (line.view().equals(QuickLine.VERSION)) {
      new VersionCommand().run();
      return 0;
    }
    try {
      String data = line.option("--data");
      Path dir = data != null ? Path.of(data) : DataDir.defaultDir();
      String url = ClientOptions.requireApi(line.option("--api"), dir);
      String token = ClientOptions.credential(line.option("--token"), System.getenv("BERTH_TOKEN"), url, dir, Instant.now()).token();
      List<String> bases = RouterConfig.managerUrls("--api", url);
      if (!QuickHttp.suits(bases)) return NOT_MINE; // TLS or a proxy: HttpClient's words for their failures
      print(line, new QuickHttp(bases, token), out);
      return 0;
    } catch (QuickHttp.Unsure e) {
      return NOT_MINE;
    } catch (RuntimeException e) {
      return ErrorLine.print(e, "berth " + line.view(), err);
    }
  }

  private static void print(QuickLine line, QuickHttp http, PrintWriter out) {
    String domain = line.option("--domain");
    JsonNode answer = http.get(switch (line.view()) {
      case QuickLine.NODES -> "/v1/nodes";
      case QuickLine.APPS -> "/v1/apps";
      default -> LrpInstances.desiredPath(domain);
    });
    if (line.json()) {
      out.println(ApiCommand.json(answer));
    } else {
      Table table = switch (line.view()) {
        case QuickLine.NODES -> NodesCommand.table(answer);
        case QuickLine.APPS -> AppViews.Ls.table(answer);
        default -> LrpInstances.desiredTable(answer, http.get(LrpInstances.actualsPath(domain)));
      };
      table.print(out);
    }
    out.flush();
  }

  /** A writer on {@code stream} as picocli makes its own (CommandLine.getOut, getErr): in the encoding the property names. */
  static PrintWriter writer(OutputStream stream, String encodingProperty) {
    return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset(System.getProperty(encodingProperty)))), true);
  }

  static Charset charset(String name) {
    if (name == null) return Charset.defaultCharset();
    try {
      return Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
