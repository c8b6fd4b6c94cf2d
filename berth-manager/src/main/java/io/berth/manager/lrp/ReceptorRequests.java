package io.berth.manager.lrp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.LrpValidation;
import io.berth.core.lrp.Problems;
import io.berth.core.lrp.Task;
import io.berth.manager.http.BodyReader;
import io.berth.manager.http.JsonProblems;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the Receptor's request bodies into the model, or fails with one
 * {@link BerthException.Invalid} naming each field that is wrong by its JSON path. What only the
 * JSON shows is checked here — a key missing that a primitive would read as 0, a field Berth owns,
 * a null in a list, a value of the wrong type — then {@link LrpValidation} checks the rules. The
 * edge's problems come in one message and the rules' in the next: the rules need a decoded record.
 */
public final class ReceptorRequests {
  private static final List<String> LRP_REQUIRED = List.of("process_guid", "domain", "rootfs", "instances", "action");
  private static final List<String> LRP_OWNED = List.of("modification_tag");
  private static final List<String> TASK_REQUIRED = List.of("task_guid", "domain", "rootfs", "action");
  private static final List<String> TASK_OWNED = List.of("state", "cell_id", "failed", "failure_reason", "result", "created_at");
  private static final Set<String> UPDATABLE = Set.of("instances", "routes", "annotation");
  private static final Set<String> LRP_FIELDS = Set.of("process_guid", "domain", "rootfs", "env", "cpu_weight", "disk_mb",
      "memory_mb", "privileged", "setup", "action", "monitor", "health_check", "start_timeout", "ports", "log_guid",
      "log_source", "metrics_guid", "egress_rules", "modification_tag");

  private ReceptorRequests() {}

  /** A {@code DesiredLRPCreateRequest}. */
  public static DesiredLrp desiredLrp(byte[] body) {
    ObjectNode tree = object(body);
    Problems p = new Problems();
    owned(p, tree, LRP_OWNED, "Berth sets it; leave it out of a create request");
    DesiredLrp lrp = bind(p, tree, DesiredLrp.class);
    required(p, tree, LRP_REQUIRED);
    p.throwIfAny();
    LrpValidation.desiredLrp(lrp, routesBytes(tree));
    return lrp;
  }

  /** A {@code DesiredLRPUpdateRequest}: only instances, routes and annotation change in place. */
  public static DesiredLrpUpdate update(byte[] body) {
    ObjectNode tree = object(body);
    Problems p = new Problems();
    // A field of the DesiredLRP that cannot change in place deserves more than "unknown field".
    owned(p, tree, tree.properties().stream().map(Map.Entry::getKey).filter(LRP_FIELDS::contains).toList(),
        "cannot change in place, only instances, routes and annotation can; create a new DesiredLRP for it");
    DesiredLrpUpdate u = p.isEmpty() ? bind(p, tree, DesiredLrpUpdate.class) : null;
    p.throwIfAny();
    LrpValidation.update(u, routesBytes(tree));
    return u;
  }

  /** A {@code TaskCreateRequest}. */
  public static Task task(byte[] body) {
    ObjectNode tree = object(body);
    Problems p = new Problems();
    owned(p, tree, TASK_OWNED, "Berth sets it as the task runs; leave it out of a create request");
    Task t = bind(p, tree, Task.class);
    required(p, tree, TASK_REQUIRED);
    p.throwIfAny();
    LrpValidation.task(t);
    return t;
  }

  private static ObjectNode object(byte[] body) {
    return BodyReader.object(body);
  }

  private static void owned(Problems p, ObjectNode tree, Collection<String> fields, String why) {
    for (String f : fields) if (tree.has(f)) p.add(f, why);
  }

  private static void required(Problems p, ObjectNode tree, List<String> keys) {
    for (String k : keys) if (tree.path(k).isNull() || tree.path(k).isMissingNode()) p.add(k, "required");
  }

  /** The record, or null with a problem recorded; nulls inside lists are found first, as the records refuse them. */
  private static <T> T bind(Problems p, ObjectNode tree, Class<T> type) {
    int before = p.all().size();
    nullEntries(p, tree, "");
    if (p.all().size() > before) return null;
    try {
      // 2.5 instances is a mistake, not 2.
      return Json.MAPPER.readerFor(type).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT).readValue(tree);
    } catch (JsonMappingException e) {
      problem(p, e, tree);
      return null;
    } catch (IOException e) {
      p.add("", "cannot read the request: " + e.getMessage().lines().findFirst().orElse(""));
      return null;
    }
  }

  private static void nullEntries(Problems p, JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isNull()) p.add(path + "[" + i + "]", "must not be null");
        else nullEntries(p, node.get(i), path + "[" + i + "]");
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) nullEntries(p, f.getValue(), join(path, f.getKey()));
    }
  }

  /** Jackson's complaint in the user's words, at the field's JSON path; an action's own shapes first. */
  private static void problem(Problems p, JsonMappingException e, JsonNode tree) {
    String at = path(e.getPath());
    if (e instanceof InvalidTypeIdException t) {
      p.add(at, "unknown action '" + t.getTypeId() + "': one of run, download, upload, serial, parallel, codependent, "
          + "emit_progress, timeout, try");
    } else if (e instanceof MismatchedInputException m && m.getTargetType() != null && Action.class.equals(m.getTargetType())) {
      p.add(at, "expected an action, an object with one key naming it ({\"run\": {...}}), got " + JsonProblems.show(JsonProblems.at(tree, at)));
    } else {
      JsonProblems.add(p, e, tree, at, true);
    }
  }

  /** The JSON path of Jackson's references, with the one-key wrapper of each action put back in. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      Object from = r.getFrom();
      Class<?> c = from instanceof Class<?> k ? k : from == null ? Object.class : from.getClass();
      if (Action.class.isAssignableFrom(c) && c != Action.class) {
        s.append('.').append(new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getSimpleName()));
      }
      if (r.getFieldName() != null) s.append('.').append(r.getFieldName());
      else if (r.getIndex() >= 0) s.append('[').append(r.getIndex()).append(']');
    }
    return s.isEmpty() || s.charAt(0) != '.' ? s.toString() : s.substring(1);
  }

  private static int routesBytes(ObjectNode tree) {
    JsonNode routes = tree.get("routes");
    return routes == null || routes.isNull() ? 0 : Json.bytes(routes).length;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
