package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.app.AppLrps;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.identity.Access;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose a container is, and what a caller may do to it. A container made through the endpoint
 * carries its creator in {@code io.berth.owner}, who may do everything to it; an app's instance
 * (made by an agent: {@code io.berth.domain=apps}, {@code io.berth.process-guid=APP-vN}) belongs
 * to the app, and the caller's role there decides — any role sees it, {@link Action#READ} reads
 * it (inspect, logs, top, stats), {@link Action#EXEC} works it (exec, start, stop, restart, kill,
 * attach) and {@link Action#DEPLOY} changes what runs (rm, rename, update). Anything else (other
 * LRPs' and tasks' containers, containers made on an engine directly) only administrators see.
 * A container the caller cannot see is "No such container", as if it were not there.
 */
public final class Ownership {
  public static final String OWNER = "io.berth.owner";
  static final String DOMAIN = "io.berth.domain";
  static final String PROCESS_GUID = "io.berth.process-guid";
  private static final Pattern APP_VERSION = Pattern.compile("^(.+)-v\\d+$");
  private final Access access;

  public Ownership(Access access) {
    this.access = access;
  }

  /** The app whose instance a container is, from the labels its agent gave it. */
  public static Optional<String> app(Map<String, String> labels) {
    if (!AppLrps.DOMAIN.equals(labels.get(DOMAIN))) return Optional.empty();
    Matcher m = APP_VERSION.matcher(labels.getOrDefault(PROCESS_GUID, ""));
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  public static Map<String, String> labels(JsonNode summaryOrConfig) {
    Map<String, String> out = new HashMap<>();
    summaryOrConfig.path("Labels").fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }

  /** {@link #sees(Principal, Map)} of a listing entry, reading its labels only when the caller is not an administrator. */
  public boolean sees(Principal p, JsonNode summary) {
    return p.admin() || sees(p, labels(summary));
  }

  /** True when {@code p} may know the container exists (ps lists it, a name finds it). */
  public boolean sees(Principal p, Map<String, String> labels) {
    if (p.admin()) return true;
    String owner = labels.get(OWNER);
    if (owner != null) return owner.equals(p.user());
    return app(labels).map(app -> access.allows(p, ResourceKind.APP, app, Action.VIEW)).orElse(false);
  }

  /**
   * Throws unless {@code p} may take {@code action} on the container: "No such container" when
   * they cannot see it, a 403 saying whose it is and what role the action needs when they can.
   */
  public void require(Principal p, String ref, Map<String, String> labels, Action action, String verb) {
    if (!sees(p, labels)) throw new BerthException.NotFound("NoSuchContainer", "No such container: " + ref);
    if (p.admin() || p.user().equals(labels.get(OWNER))) return;
    String app = app(labels).orElseThrow();
    if (access.allows(p, ResourceKind.APP, app, action)) return;
    String role = access.role(p, ResourceKind.APP, app).map(Role::word).orElse("not a member");
    String needs = Permissions.least(ResourceKind.APP, action).map(Role::word).orElse("an administrator");
    throw new BerthException.Forbidden(p.user() + " may not " + verb + " container " + ref + ": it belongs to app " + app + ", where "
        + p.user() + " is " + (role.equals("not a member") ? role : article(role) + " " + role) + " (" + action.word() + " needs " + needs + ")");
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  /** What a container route needs of the caller, and how a denial names it. */
  public record Need(Action action, String verb) {}

  /** The need of {@code METHOD /containers/REF/ACTION} ({@code action} "" for the bare reference). */
  public static Need need(String method, String action) {
    return switch (action) {
      case "" -> method.equals("DELETE") ? new Need(Action.DEPLOY, "remove") : new Need(Action.READ, "inspect");
      case "/json" -> new Need(Action.READ, "inspect");
      case "/logs" -> new Need(Action.READ, "read the logs of");
      case "/top" -> new Need(Action.READ, "list the processes of");
      case "/stats" -> new Need(Action.READ, "read the stats of");
      case "/changes", "/export" -> new Need(Action.READ, "read the files of");
      case "/wait" -> new Need(Action.READ, "wait for");
      case "/archive" -> method.equals("PUT") ? new Need(Action.EXEC, "copy files into") : new Need(Action.READ, "copy files from");
      case "/exec" -> new Need(Action.EXEC, "exec in");
      case "/attach" -> new Need(Action.EXEC, "attach to");
      case "/rename", "/update" -> new Need(Action.DEPLOY, action.substring(1));
      default -> new Need(Action.EXEC, action.substring(1)); // start, stop, restart, kill, pause, unpause, resize
    };
  }
}
