package io.berth.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one request to the first of several managers that can be reached. The next manager is
 * tried only when the connection failed: refused, or no connection in time; or, for a GET, which
 * changes nothing, no answer in time. An answer, even an HTTP error, is final: a POST a manager
 * answered (or may have applied before it went quiet) is never sent twice.
 */
final class ApiFailover {
  private ApiFailover() {}

  /** The answer and the manager that gave it. */
  record Answer<T>(String base, HttpResponse<T> response) {}

  static <T> Answer<T> send(HttpClient http, List<String> bases, String path, HttpRequest.Builder request,
                            HttpResponse.BodyHandler<T> handler) {
    List<String> failures = new ArrayList<>();
    for (String base : bases) {
      HttpRequest req = request.copy().uri(URI.create(base + path)).build();
      try {
        return new Answer<>(base, http.send(req, handler));
      } catch (IOException e) {
        failures.add(reason(base, e));
        if (!unreached(e, req.method())) break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
    if (failures.size() == 1) throw new IllegalStateException(failures.get(0));
    throw new IllegalStateException("cannot reach any manager: " + String.join("; ", failures));
  }

  private static boolean unreached(IOException e, String method) {
    return e instanceof ConnectException || e instanceof HttpConnectTimeoutException
        || (e instanceof HttpTimeoutException && method.equals("GET"));
  }

  private static String reason(String base, IOException e) {
    if (e instanceof ConnectException) return "cannot reach the manager at " + base + ": connection refused (is it running?)";
    return "cannot reach the manager at " + base + ": " + e.getMessage();
  }
}
