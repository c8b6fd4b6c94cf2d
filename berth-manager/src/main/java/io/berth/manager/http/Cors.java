package io.berth.manager.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * CORS as Diego's receptor answers it ({@code berth manage --cors}): on the paths given, any
 * {@code Origin} is echoed back with credentials allowed, and a preflight {@code OPTIONS} is
 * answered 200 without credentials (a browser sends none on it). The Receptor's cookie then lets a
 * page of another origin call the API.
 */
final class Cors {
  static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
  static final String HEADERS = "Authorization, Content-Type, Cache-Control, Last-Event-ID";
  private final Predicate<String> paths;

  Cors(Predicate<String> paths) {
    this.paths = paths;
  }

  /** Adds the CORS headers to the response; true when the request was a preflight, now answered. */
  boolean answered(HttpExchange ex) throws IOException {
    if (!paths.test(ex.getRequestURI().getPath())) return false;
    String origin = ex.getRequestHeaders().getFirst("Origin");
    Headers h = ex.getResponseHeaders();
    if (origin != null && !origin.isBlank()) {
      h.set("Access-Control-Allow-Origin", origin);
      h.set("Access-Control-Allow-Credentials", "true");
      h.set("Access-Control-Allow-Methods", METHODS);
      h.set("Access-Control-Allow-Headers", HEADERS);
      h.add("Vary", "Origin"); // the answer differs by origin: a cache must not hand one origin's to another
    }
    if (!ex.getRequestMethod().equals("OPTIONS")) return false;
    String asked = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
    if (origin != null && asked != null && !asked.isBlank()) h.set("Access-Control-Allow-Headers", asked);
    h.set("Access-Control-Max-Age", "600");
    h.set("Allow", METHODS);
    BodyReader.drain(ex.getRequestBody());
    ex.sendResponseHeaders(200, -1);
    return true;
  }
}
