package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers completed tasks to their {@code completion_callback_url}, as Diego does: a POST of the
 * task; on a 2xx the task is resolved and deleted, otherwise it stays COMPLETED and the next
 * convergence pass offers it again. At most one delivery per task is in flight.
 */
final class TaskCallbacks {
  private static final Logger log = LoggerFactory.getLogger(TaskCallbacks.class);
  private final LrpStore store;
  private final Set<TaskGuid> inFlight = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  TaskCallbacks(LrpStore store) {
    this.store = store;
  }

  /** Starts delivering {@code t} when it is COMPLETED with a callback and not being delivered already. */
  void offer(Task t) {
    if (t.state() == TaskState.COMPLETED && t.completionCallbackUrl() != null && !t.completionCallbackUrl().isEmpty()
        && inFlight.add(t.taskGuid())) {
      Thread.ofVirtual().name("task-callback").start(() -> deliver(t));
    }
  }

  /** POSTs the completed task to its callback URL; on a 2xx it is resolved and deleted, as in Diego. */
  private void deliver(Task t) {
    try {
      HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(t.completionCallbackUrl())).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(t))).build(),
          HttpResponse.BodyHandlers.discarding());
      if (res.statusCode() / 100 == 2) {
        Optional<Versioned<Task>> now = store.task(t.taskGuid());
        if (now.isPresent() && now.get().value().state() == TaskState.COMPLETED) {
          store.replace(now.get().value().in(TaskState.RESOLVING, t.cellId()), now.get().revision())
              .ifPresent(r -> store.delete(r.value(), r.revision()));
        }
        log.info("task-callback-delivered task={} status={}", t.taskGuid(), res.statusCode());
      } else {
        log.warn("task-callback-refused task={} status={} (retried next pass)", t.taskGuid(), res.statusCode());
      }
    } catch (Exception e) {
      log.warn("task-callback-failed task={}: {} (retried next pass)", t.taskGuid(), e.toString());
    } finally {
      inFlight.remove(t.taskGuid());
    }
  }
}
