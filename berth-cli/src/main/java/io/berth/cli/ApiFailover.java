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
  record Answer<T>(String base, T response) {}

  static <T> Answer<HttpResponse<T>> send(HttpClient http, List<String> bases, String path, HttpRequest.Builder request,
                                          HttpResponse.BodyHandler<T> handler) {
    String method = request.copy().uri(URI.create(bases.get(0) + path)).build().method(); // a builder tells its method only so
    return send(bases, method, base -> {
      try {
        return http.send(request.copy().uri(URI.create(base + path)).build(), handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    });
  }

  /** One try of a request at one manager; an {@link IOException} as {@link HttpClient} throws it says it failed. */
  interface Attempt<T> {
    T send(String base) throws IOException;
  }

  /**
   * Tries {@code attempt} at each of {@code bases} in order, the next only when the last one did
   * not reach its manager; {@code method} says whether a request that timed out may go again.
   */
  static <T> Answer<T> send(List<String> bases, String method, Attempt<T> attempt) {
    List<String> failures = new ArrayList<>();
    for (String base : bases) {
      try {
        return new Answer<>(base, attempt.send(base));
      } catch (IOException e) {
        failures.add(reason(base, e));
        if (!unreached(e, method)) break;
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
