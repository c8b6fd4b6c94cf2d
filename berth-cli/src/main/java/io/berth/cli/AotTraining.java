package io.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run of the client's start-up cache: the launcher runs it once per jar with
 * {@code -XX:AOTCacheOutput}, and the JDK keeps the classes it loaded, linked and profiled, so that
 * later client commands start from them. It runs the client commands people type most against a
 * canned manager on a loopback port, so the cache holds picocli's model, Jackson's tree, the HTTP
 * client and the table printer, and nothing of the server side (docker-java, BouncyCastle, SQLite).
 */
public final class AotTraining {
  /** What the canned manager answers, by path; anything else is Berth's 404 body. */
  static final Map<String, String> ANSWERS = Map.of(
      "/v1/nodes", "[{\"name\":\"n1\",\"state\":\"ready\",\"address\":\"127.0.0.1:2376\",\"labels\":{\"zone\":\"a\"},"
          + "\"changed_at\":\"2026-01-01T00:00:00Z\",\"engine\":{\"engine_version\":\"27.0\",\"cpus\":2,\"memory_bytes\":4294967296}}]",
      "/v1/apps", "[{\"name\":\"web\",\"latest_version\":2,\"instances\":3,\"routes\":[\"web.example\"]}]",
      "/v1/desired_lrps", "[{\"process_guid\":\"web-1\",\"domain\":\"apps\",\"instances\":3,\"rootfs\":\"docker:///nginx:1\"}]",
      "/v1/actual_lrps", "[{\"process_guid\":\"web-1\",\"index\":0,\"state\":\"RUNNING\"}]");

  /** The command lines trained, each as typed after {@code berth}. */
  static final List<List<String>> COMMANDS = List.of(
      List.of("version"), List.of("nodes"), List.of("nodes", "--json"), List.of("app", "ls"), List.of("lrp", "list"),
      List.of("lrp", "list", "--json"), List.of("--help"));

  private AotTraining() {}

  /**
   * Trains the cache of every client command, or with {@code quick} the cache of the quick path's
   * lines alone: a cache's classes are all loaded as the JVM starts, and picocli's, which it cannot
   * keep, are then read from the jar for the commands' checks, so the quick lines start fastest
   * from a cache of their own (the launcher picks it for them).
   */
  public static void main(String[] args) throws IOException {
    int failed = train(args.length > 0 && args[0].equals("quick"));
    if (failed > 0) System.err.println("berth: " + failed + " of " + COMMANDS.size() + " training commands failed");
  }

  /** Runs every training command, or the quick lines among them; returns how many failed (none should: the cache is then thinner, not wrong). */
  static int train(boolean quick) throws IOException {
    // Not createTempDirectory: its SecureRandom, like the JDK's HttpServer (its logger, its Date header's
    // formatter), would put classes into the cache that every quick command then loads as it starts.
    Path data = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"), "berth-aot-" + ProcessHandle.current().pid()
        + "-" + System.nanoTime()));
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread answering = new Thread(() -> answer(server), "berth-aot-manager");
    answering.setDaemon(true);
    answering.start();
    try {
      // As a local manager leaves them, so the client's way to its manager and token is trained too.
      Files.writeString(data.resolve("manager.json"), "{\"api\":\"http://127.0.0.1:" + server.getLocalPort() + "\"}");
      Files.writeString(data.resolve("admin.token"), "training\n");
      int failed = 0;
      if (quick) DataDir.defaultDir(); // where a command without --data looks; the lines below all name one
      for (List<String> command : COMMANDS) {
        String[] line = command.toArray(new String[0]);
        if (!command.get(0).startsWith("-") && !command.get(0).equals("version")) line = withData(line, data);
        if (quick && QuickLine.parse(line) == null) continue;
        if (run(line, quick) != 0) failed++;
      }
      return failed;
    } finally {
      server.close();
      for (String f : List.of("manager.json", "admin.token")) Files.deleteIfExists(data.resolve(f));
      Files.deleteIfExists(data);
    }
  }

  /** The canned manager: each connection gets the answer to its request line's path, and is closed. */
  private static void answer(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String[] request = in.readLine().split(" ");
        while (!in.readLine().isEmpty()) {
          // the headers: none matter here
        }
        String path = request[1].contains("?") ? request[1].substring(0, request[1].indexOf('?')) : request[1];
        String body = ANSWERS.get(path);
        byte[] bytes = (body != null ? body : "{\"name\":\"NotFound\",\"message\":\"no such route\"}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + (body != null ? "200 OK" : "404 Not Found") + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
      } catch (IOException | RuntimeException e) {
        // closed at the end of training, or a client that left: the next connection is answered all the same
      }
    }
  }

  /** Runs {@code line} on the quick path or through picocli, with its output dropped. */
  private static int run(String[] line, boolean quick) {
    PrintWriter out = new PrintWriter(Writer.nullWriter());
    PrintWriter err = new PrintWriter(Writer.nullWriter());
    return quick ? QuickViews.run(QuickLine.parse(line), out, err) : Main.execute(out, err, line);
  }

  private static String[] withData(String[] line, Path data) {
    String[] full = new String[line.length + 2];
    System.arraycopy(line, 0, full, 0, line.length);
    full[line.length] = "--data";
    full[line.length + 1] = data.toString();
    return full;
  }
}
