package io.berth.manager.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.berth.cluster.Json;
import io.berth.cluster.wire.ErrorBody;
import io.berth.core.error.BerthException;
import io.berth.manager.metrics.BerthMetrics;
import io.berth.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route table for the JDK HTTP server: method plus path template ({@code /v1/nodes/{name}}),
 * a guard run before every handler (authentication), and the one place where failures become
 * responses — a {@link BerthException} its status and {@code {"name","message"}} body, a
 * {@link StoreException} 503 with its sentence, anything else a 500 with a short message and
 * the trace in the log, never on the wire.
 */
public final class Routes implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private final List<Route> routes = new ArrayList<>();
  private final Consumer<Request> guard;
  private MutationListener mutations;
  private Cors cors;

  public Routes(Consumer<Request> guard) {
    this.guard = guard;
  }

  /** A handler: reads the request, returns the object to send as JSON (or a {@link Reply}). */
  @FunctionalInterface
  public interface Handler {
    Object handle(Request request) throws IOException;
  }

  public Routes get(String template, Handler h) {
    return add("GET", template, h);
  }

  public Routes post(String template, Handler h) {
    return add("POST", template, h);
  }

  public Routes put(String template, Handler h) {
    return add("PUT", template, h);
  }

  public Routes delete(String template, Handler h) {
    return add("DELETE", template, h);
  }

  private Routes add(String method, String template, Handler h) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    routes.add(new Route(method, template, Pattern.compile(regex.toString()), names, h));
    return this;
  }

  /** Called after every call that is not a GET or HEAD (whatever its outcome) with the request and its status: the audit. */
  public Routes onMutation(MutationListener listener) {
    this.mutations = listener;
    return this;
  }

  /** Answers CORS on the {@code paths} ({@code --cors}); null or never called: no CORS headers, and OPTIONS is a 405. */
  public Routes cors(Predicate<String> paths) {
    this.cors = paths == null ? null : new Cors(paths);
    return this;
  }

  /** Hears each mutating call once it is answered. */
  @FunctionalInterface
  public interface MutationListener {
    void answered(Request request, int status);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long t0 = System.nanoTime();
    String template = "unmatched"; // an unknown path's own text would make a new series per probe
    int status = 500;
    try (ex) {
      // Matched on the raw path, so a parameter may carry an encoded '/' (a repository team%2Fapp); Request.param decodes.
      String path = ex.getRequestURI().getRawPath();
      // HEAD is a GET without its body, on every GET route.
      String method = ex.getRequestMethod().equals("HEAD") ? "GET" : ex.getRequestMethod();
      boolean pathKnown = false;
      Request req = new Request(ex, Map.of());
      try {
        if (cors != null && cors.answered(ex)) {
          template = "preflight";
          status = 200;
          return;
        }
        for (Route r : routes) {
          Matcher m = r.pattern.matcher(path);
          if (!m.matches()) continue;
          pathKnown = true;
          if (!r.method.equals(method)) continue;
          template = r.template;
          Map<String, String> params = new LinkedHashMap<>(); // in the template's order: the audit's target reads so
          for (int i = 0; i < r.names.size(); i++) params.put(r.names.get(i), m.group(i + 1));
          req = new Request(ex, params);
          guard.accept(req);
          Object result = r.handler.handle(req);
          status = send(ex, result == null ? Reply.NO_CONTENT : result);
          answered(req, status);
          return;
        }
        if (pathKnown) {
          status = send(ex, Reply.json(405, new ErrorBody("MethodNotAllowed", ex.getRequestMethod() + " is not allowed on " + path)));
        } else {
          status = send(ex, Reply.json(404, new ErrorBody("RouteNotFound", "no such route: " + ex.getRequestMethod() + " " + path)));
        }
      } catch (BerthException e) {
        status = send(ex, Reply.json(e.status(), new ErrorBody(e.name(), e.getMessage())));
      } catch (StoreException e) {
        // The store lost its quorum, or this manager its lead: a retry, here or on another manager, may work.
        log.warn("api-store-unavailable {} {}: {}", ex.getRequestMethod(), path, e.getMessage());
        status = send(ex, Reply.json(503, new ErrorBody("Unavailable", e.getMessage())));
      } catch (IllegalArgumentException e) {
        status = send(ex, Reply.json(400, new ErrorBody("InvalidRequest", e.getMessage())));
      } catch (IOException e) {
        throw e;
      } catch (RuntimeException e) {
        log.error("api-internal-error {} {}", ex.getRequestMethod(), path, e);
        status = send(ex, Reply.json(500, new ErrorBody("InternalError", "internal error: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
      }
      answered(req, status);
    } finally {
      BerthMetrics.answered(method(ex), template, status, System.nanoTime() - t0);
    }
  }

  /** The method as a label: one of the few HTTP knows, else "other" (a label must not grow with what clients send). */
  private static String method(HttpExchange ex) {
    String m = ex.getRequestMethod();
    return switch (m) {
      case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" -> m;
      default -> "other";
    };
  }

  private void answered(Request req, int status) {
    String m = req.method();
    if (mutations == null || m.equals("GET") || m.equals("HEAD")) return;
    try {
      mutations.answered(req, status);
    } catch (RuntimeException e) {
      log.warn("api-audit-failed {} {}: {}", m, req.path(), e.toString());
    }
  }

  private static int send(HttpExchange ex, Object result) throws IOException {
    BodyReader.drain(ex.getRequestBody());
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (result instanceof Stream stream) {
      ex.getResponseHeaders().set("Content-Type", stream.contentType());
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      if (head) {
        ex.sendResponseHeaders(200, -1);
        return 200;
      }
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        stream.writer().write(out);
      } catch (IOException gone) {
        // the client went away: the normal end of a stream
      }
      return 200;
    }
    Reply reply = result instanceof Reply r ? r : Reply.json(200, result);
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach(ex.getResponseHeaders()::set);
    byte[] body = reply.body();
    if (head) {
      if (body.length > 0) ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(reply.status(), -1);
      return reply.status();
    }
    ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    return reply.status();
  }

  /** The routes in the order they were added, as method and template: what a test walks to reach every route. */
  public List<Entry> table() {
    return routes.stream().map(r -> new Entry(r.method, r.template)).toList();
  }

  /** One route of the table: its method and path template ({@code /v1/apps/{name}}). */
  public record Entry(String method, String template) {}

  private record Route(String method, String template, Pattern pattern, List<String> names, Handler handler) {}

  /** A 200 whose body is written as it comes (server-sent events), until the writer returns or the client goes. */
  public record Stream(String contentType, Writer writer) {
    /** Writes the body; an {@link IOException} means the client has gone. */
    @FunctionalInterface
    public interface Writer {
      void write(OutputStream out) throws IOException;
    }
  }

  /** A response with its status, body and any further headers (a JSON body unless said otherwise). */
  public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final Reply NO_CONTENT = new Reply(204, "text/plain", new byte[0]);

    public Reply {
      headers = Map.copyOf(headers);
    }

    public Reply(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    /** The same reply with one more header. */
    public Reply with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, contentType, body, h);
    }

    public static Reply json(int status, Object value) {
      return new Reply(status, "application/json", Json.bytes(value));
    }

    public static Reply text(int status, String text) {
      return new Reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
