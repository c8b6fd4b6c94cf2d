package io.berth.manager.docker;

import io.berth.core.identity.Principal;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.net.Socket;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of one client connection's calls: every call that is not a GET or HEAD, whatever its outcome, recorded
 * once its answer has gone out. The store write runs on a thread of its own, so the client's next request on the
 * connection is read and answered meanwhile: {@code docker run}'s {@code wait} follows its create at once on the same
 * connection, and waited ~3 ms for the create's audit. One write at a time per connection, in the order of its calls,
 * so a slow store still holds a connection back, one call later.
 */
final class AuditTrail {
  /** The endpoint's logger: "docker-audit-failed" lines keep the name they always had. */
  private static final Logger log = LoggerFactory.getLogger(DockerEndpoint.class);
  private final Access access;
  private Thread writing;

  AuditTrail(Access access) {
    this.access = access;
  }

  /** Records the call answered with {@code answer}, after the connection's previous record is written. */
  void record(HttpMessage req, Principal caller, Socket client, Exchange.Answer answer) {
    String m = req.method();
    if (m.equals("GET") || m.equals("HEAD")) return;
    Exchange ex = new Exchange(req, new byte[0], client, null, caller, answer);
    int status = answer.status == 0 ? 200 : answer.status; // a stream taken over before its head was seen
    AuditEntry entry = new AuditEntry(Instant.now(), caller == null ? Principal.ANONYMOUS : caller.user(),
        caller == null ? "none" : caller.via(), Callers.remote(client), "docker " + m + " " + DockerPaths.auditPath(ex.path()),
        DockerPaths.auditTarget(ex), status, AuditEntry.outcome(status));
    String path = ex.path();
    awaitWritten();
    writing = Thread.ofVirtual().name("docker-audit").start(() -> write(entry, m, path));
  }

  /** Waits for the connection's last record to be written (or to fail, which is logged). */
  private void awaitWritten() {
    if (writing == null) return;
    try {
      writing.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(AuditEntry entry, String method, String path) {
    try {
      access.audit(entry);
    } catch (RuntimeException e) {
      log.warn("docker-audit-failed {} {}: {}", method, path, e.toString());
    }
  }
}
