package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.Task;

/** Decodes Receptor request bodies into the model (interim: the full validation comes with LrpValidation). */
final class ReceptorRequests {
  private ReceptorRequests() {}

  static DesiredLrp desiredLrp(byte[] body) {
    DesiredLrp d = read(body, DesiredLrp.class);
    if (d.processGuid() == null || !d.processGuid().matches("[a-zA-Z0-9_-]+")) throw new BerthException.Invalid("process_guid: required, letters, digits, '_' and '-' only");
    if (d.domain() == null || d.domain().isEmpty()) throw new BerthException.Invalid("domain: required");
    if (d.action() == null) throw new BerthException.Invalid("action: required");
    if (d.instances() < 0) throw new BerthException.Invalid("instances: must be >= 0");
    d.image();
    return d;
  }

  static DesiredLrpUpdate update(byte[] body) {
    return read(body, DesiredLrpUpdate.class);
  }

  static Task task(byte[] body) {
    Task t = read(body, Task.class);
    if (t.taskGuid() == null || !t.taskGuid().matches("[a-zA-Z0-9_-]+")) throw new BerthException.Invalid("task_guid: required, letters, digits, '_' and '-' only");
    if (t.domain() == null || t.domain().isEmpty()) throw new BerthException.Invalid("domain: required");
    if (t.action() == null) throw new BerthException.Invalid("action: required");
    t.image();
    return t;
  }

  private static <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) throw new BerthException.Invalid("request body is empty: expected JSON");
    try {
      return Json.read(body, type);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid(e.getMessage());
    }
  }
}
