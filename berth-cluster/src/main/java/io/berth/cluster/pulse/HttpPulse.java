package io.berth.cluster.pulse;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Opens a manager's pulse with the JDK's HTTP client: every piece of the body is a sign of life, nothing is kept. */
public final class HttpPulse {
  private HttpPulse() {}

  /**
   * Sends {@code request} (give it no timeout: a pulse lasts as long as its connection) and runs
   * {@code heard} at its answer and at each piece of a 200's body; closing the stream cancels the
   * body's subscription, which closes the connection.
   */
  public static Pulse.Stream open(HttpClient http, HttpRequest request, Runnable heard) {
    Heard body = new Heard(heard);
    CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request, info -> {
      heard.run();
      return info.statusCode() == 200 ? HttpResponse.BodySubscribers.fromSubscriber(body) : HttpResponse.BodySubscribers.discarding();
    });
    return new Pulse.Stream(call.thenApply(HttpResponse::statusCode), () -> {
      body.cancel();
      call.cancel(true);
    });
  }

  /** A pulse's body: each piece only says the manager still answers. */
  private static final class Heard implements Flow.Subscriber<List<ByteBuffer>> {
    private final Runnable heard;
    private Flow.Subscription subscription; // guarded by this
    private boolean cancelled; // guarded by this

    Heard(Runnable heard) {
      this.heard = heard;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) s.cancel();
      else s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> pieces) {
      heard.run();
    }

    @Override
    public void onError(Throwable t) {
      // the call's future says how it ended
    }

    @Override
    public void onComplete() {
      // the call's future says how it ended
    }

    synchronized void cancel() {
      cancelled = true;
      if (subscription != null) subscription.cancel();
    }
  }
}
