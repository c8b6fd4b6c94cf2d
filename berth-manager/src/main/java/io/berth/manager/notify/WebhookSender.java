package io.berth.manager.notify;

import io.berth.cluster.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * POSTs a message's Alertmanager JSON to its webhook. A failure to connect, a 5xx, 408 or 429 is retried; another 4xx is
 * the receiver's no; a timeout once the request went, or a connection cut before the answer, is unknown (never resent).
 */
final class WebhookSender implements Sender {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient client;
  private final Duration timeout;

  WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public Outcome send(Message m) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(m.receiver().target()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "berth-notify")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(WebhookPayload.of(m))))
        .build();
    try {
      HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
      int s = r.statusCode();
      if (s >= 200 && s < 300) return new Outcome.Delivered();
      String why = "HTTP " + s + " from " + m.receiver().target();
      return s >= 500 || s == 408 || s == 429 ? new Outcome.Retry(why) : new Outcome.Rejected(why);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new Outcome.Retry("cannot connect to " + m.receiver().target() + ": " + words(e));
    } catch (HttpTimeoutException e) {
      return new Outcome.Unknown("no answer from " + m.receiver().target() + " within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      return unresolved(e) ? new Outcome.Retry("cannot resolve " + m.receiver().target())
          : new Outcome.Unknown("the connection to " + m.receiver().target() + " failed: " + words(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Unknown("stopped while sending to " + m.receiver().target());
    }
  }

  private static boolean unresolved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof ConnectException) return true;
    }
    return false;
  }

  static String words(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
