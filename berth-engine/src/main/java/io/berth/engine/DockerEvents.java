package io.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Docker engine's container events as one stream that outlives the engine's restarts: {@code GET
 * /events?filters={"type":["container"]}} on a client without a response timeout, reopened a
 * second after it breaks with {@code since} the last event seen, so a dockerd restart costs at most
 * the events of that second.
 */
final class DockerEvents {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class); // the engine's log lines, as before

  private DockerEvents() {}

  /** Starts the stream on a virtual thread; closing the answer ends it. */
  static AutoCloseable open(DockerClient streaming, URI url, Consumer<ContainerEvent> listener) {
    var open = new AtomicBoolean(true);
    var current = new AtomicReference<Closeable>();
    Thread t = Thread.ofVirtual().name("engine-events").start(() -> {
      long since = System.currentTimeMillis() / 1000;
      while (open.get()) {
        var last = new AtomicLong(since);
        var callback = new ResultCallback.Adapter<Event>() {
          @Override
          public void onNext(Event e) {
            if (e.getType() != EventType.CONTAINER || e.getId() == null) return;
            long nanos = e.getTimeNano() == null ? System.currentTimeMillis() * 1_000_000 : e.getTimeNano();
            last.set(nanos / 1_000_000_000L);
            Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of() : e.getActor().getAttributes();
            String action = e.getAction() == null ? e.getStatus() : e.getAction();
            int exitCode = -1;
            if ("die".equals(action)) {
              try {
                exitCode = Integer.parseInt(attributes.getOrDefault("exitCode", "-1"));
              } catch (NumberFormatException ignored) {
                // an engine that says something else: unknown
              }
            }
            listener.accept(new ContainerEvent(action, e.getId(), attributes, exitCode, nanos));
          }
        };
        try {
          current.set(callback);
          streaming.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withSince(Long.toString(since)).exec(callback);
          if (!open.get()) callback.close(); // closed while opening
          callback.awaitCompletion();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException | IOException e) {
          log.debug("engine-events-broken url={}: {}", url, e.toString());
        }
        since = last.get();
        if (open.get()) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    });
    return () -> {
      open.set(false);
      var c = current.get();
      if (c != null) c.close();
      t.interrupt();
    };
  }
}
