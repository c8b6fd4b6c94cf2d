package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.NodeName;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks through convergence over a real (SQLite) store: placed once, completed, called back, resolved. */
class TaskConvergerTest extends ConvergerScenario {
  static Task task(String guid) {
    return new Task(tg(guid), new Domain("jobs"), "docker:///berth/busybox#1", List.of(), 0, 0, 32, false,
        new Action.Run("/bin/sh", List.of("-c", "echo 42 > /tmp/out"), null, null, null, "root", null), "/tmp/out", null,
        null, null, null, null, List.of(), null, null, false, null, null, 0);
  }

  @Test
  void aTaskRunsOnceCompletesAndIsResolved() {
    service.createTask(task("job1"));
    assertThatThrownBy(() -> service.createTask(task("job1"))).isInstanceOf(BerthException.Conflict.class);
    converger.pass();
    Task claimed = service.task(tg("job1"));
    assertThat(claimed.state()).isEqualTo(TaskState.CLAIMED);
    assertThat(assignments(claimed.cellId())).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Assignment.TASK);
      assertThat(a.resultFile()).isEqualTo("/tmp/out");
    });
    assertThatThrownBy(() -> service.resolve(tg("job1"))).isInstanceOf(BerthException.Conflict.class).hasMessageContaining("CLAIMED");
    service.report(claimed.cellId(), List.of(new InstanceReport(Assignment.TASK, "job1", "job1", 0, InstanceReport.COMPLETED, List.of(),
        "", false, "42\n")));
    Task done = service.task(tg("job1"));
    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.result()).isEqualTo("42\n");
    assertThat(assignments(claimed.cellId())).isEmpty();
    converger.pass();
    assertThat(assignments("n1").size() + assignments("n2").size()).as("never run twice").isZero();
    service.resolve(tg("job1"));
    assertThatThrownBy(() -> service.task(tg("job1"))).isInstanceOf(BerthException.NotFound.class);
  }

  @Test
  void aCompletedTaskIsPostedToItsCallbackAndThenDeleted() throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int[] status = {503};
    server.createContext("/done", ex -> {
      got.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(status[0], -1);
      ex.close();
    });
    server.start();
    try {
      Task t = task("job4");
      t = new Task(t.taskGuid(), t.domain(), t.rootfs(), t.env(), 0, 0, 32, false, t.action(), t.resultFile(),
          "http://127.0.0.1:" + server.getAddress().getPort() + "/done", null, null, null, null, List.of(), null, null, false, null, null, 0);
      service.createTask(t);
      converger.pass();
      NodeName cell = service.task(tg("job4")).cellId();
      service.report(cell, List.of(new InstanceReport(Assignment.TASK, "job4", "job4", 0, InstanceReport.COMPLETED, List.of(), "", false, "42")));
      converger.pass();
      String first = got.poll(5, TimeUnit.SECONDS);
      assertThat(first).contains("\"task_guid\":\"job4\"", "\"state\":\"COMPLETED\"", "\"result\":\"42\"");
      Thread.sleep(200);
      assertThat(service.task(tg("job4")).state()).as("a refused callback is tried again").isEqualTo(TaskState.COMPLETED);
      status[0] = 200;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
        converger.pass();
        return service.tasks(Optional.empty()).isEmpty();
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTaskWhoseNodeIsLostFailsAndIsNotRunAgain() {
    service.createTask(task("job2"));
    converger.pass();
    String cell = service.task(tg("job2")).cellId().value();
    lose(cell);
    converger.pass();
    Task t = service.task(tg("job2"));
    assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(t.failed()).isTrue();
    assertThat(t.failureReason()).contains("was lost");
    converger.pass();
    assertThat(assignments("n1").size() + assignments("n2").size()).isZero();
  }

  @Test
  void aCancelledTaskCompletesFailedAndItsContainerIsStopped() {
    service.createTask(task("job3"));
    converger.pass();
    NodeName cell = service.task(tg("job3")).cellId();
    service.cancel(tg("job3"));
    assertThat(service.task(tg("job3")).failureReason()).isEqualTo("task was cancelled");
    assertThat(assignments(cell)).isEmpty();
    assertThatThrownBy(() -> service.cancel(tg("job3"))).isInstanceOf(BerthException.Conflict.class);
  }
}
