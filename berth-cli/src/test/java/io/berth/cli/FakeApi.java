package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Receptor API that answers what a test scripts for each {@code METHOD /path?query}: a queue of
 * answers, the last repeated (so a watch sees states change and then settle), and a record of
 * every request it got. Unscripted routes get Berth's 404 body; a route may have its own handler.
 */
final class FakeApi implements AutoCloseable {
  /** One request as received. */
  record Call(String method, String uri, String authorization, String contentType, String cacheControl, String body) {}

  /** One scripted answer. */
  record Answer(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        String uri = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(ex.getRequestMethod(), uri, ex.getRequestHeaders().getFirst("Authorization"),
            ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Cache-Control"), body));
        HttpHandler handler = handlers.get(ex.getRequestMethod() + " " + uri);
        if (handler != null) {
          handler.handle(ex);
          return;
        }
        Deque<Answer> queue = answers.get(ex.getRequestMethod() + " " + uri);
        Answer a;
        if (queue == null) {
          a = new Answer(404, "{\"name\":\"RouteNotFound\",\"message\":\"no such route: " + ex.getRequestMethod() + " " + uri + "\"}");
        } else {
          synchronized (queue) {
            a = queue.size() > 1 ? queue.poll() : queue.peek();
          }
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
          }
        }
      }
    });
    server.start();
  }

  /** Scripts {@code route} ("GET /v1/tasks") to answer 200 with each body in turn, then the last for ever. */
  FakeApi on(String route, String... bodies) {
    return on(route, 200, bodies);
  }

  FakeApi on(String route, int status, String... bodies) {
    Deque<Answer> q = new ArrayDeque<>();
    for (String b : bodies) q.add(new Answer(status, b));
    answers.put(route, q);
    return this;
  }

  /** Has {@code handler} answer {@code route} itself, e.g. to stream a body a piece at a time. */
  FakeApi handle(String route, HttpHandler handler) {
    handlers.put(route, handler);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Call> calls(String method, String uri) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.method().equals(method) && c.uri().equals(uri)).toList();
    }
  }

  /** Runs {@code berth ARGS --api URL --token t} against this API. */
  Result berth(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--api";
    full[args.length + 1] = url();
    full[args.length + 2] = "--token";
    full[args.length + 3] = "secret";
    return run(full);
  }

  /** As {@link #berth}, for a command that must succeed: a failure shows what it printed on stderr. */
  Result ok(String... args) {
    Result r = berth(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  /** As {@link #berth}, for a command line that must be refused as a usage error (exit 2). */
  Result usageError(String... args) {
    Result r = berth(args);
    assertThat(r.exit()).isEqualTo(2);
    return r;
  }

  /** Runs a command line as {@code berth} would, capturing its output. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Runs {@code run} with {@code input} as standard input, as a pipe into berth would be. */
  static Result withStdin(String input, Supplier<Result> run) {
    var stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      return run.get();
    } finally {
      System.setIn(stdin);
    }
  }

  /** What a command printed and its exit code. */
  record Result(int exit, String out, String err) {}

  @Override
  public void close() {
    server.stop(0);
  }
}
