package io.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command run in a container ({@code docker exec}): created on the quick client, awaited on the
 * patient one up to its own timeout, its output kept to {@link #MAX_OUTPUT} (a health check's, not a
 * log's), then its exit code read.
 */
final class DockerExec {
  static final int MAX_OUTPUT = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class); // the engine's log lines, as before
  private final DockerClient quick;
  private final DockerClient patient;
  private final DockerErrors errors;

  DockerExec(DockerClient quick, DockerClient patient, DockerErrors errors) {
    this.quick = quick;
    this.patient = patient;
    this.errors = errors;
  }

  ExecResult run(String id, List<String> cmd, Duration timeout) {
    String execId = errors.call(() -> quick.execCreateCmd(id).withCmd(cmd.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true).exec().getId());
    StringBuilder output = new StringBuilder();
    var callback = new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (output) {
          if (output.length() < MAX_OUTPUT) output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }
      }
    };
    try {
      boolean ended = errors.call(() -> {
        try {
          return patient.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException(503, "interrupted while waiting for exec in " + id, e);
        }
      });
      if (!ended) {
        return new ExecResult(-1, output + "(still running after " + timeout.toMillis() + " ms)");
      }
    } finally {
      try {
        callback.close();
      } catch (IOException e) {
        log.debug("engine-exec-close-failed id={}", id, e);
      }
    }
    Long code = errors.call(() -> quick.inspectExecCmd(execId).exec().getExitCodeLong());
    synchronized (output) {
      return new ExecResult(code == null ? -1 : code.intValue(), output.toString());
    }
  }
}
