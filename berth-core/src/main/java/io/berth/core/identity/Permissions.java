package io.berth.core.identity;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The permission matrix: for each kind of resource, the actions that apply and the least role that
 * may take each (every stronger role may too). docs/permissions.md shows this table and a test
 * holds the two together; administrators may do everything.
 */
public final class Permissions {
  private static final Map<ResourceKind, Map<Action, Role>> MATRIX = new EnumMap<>(ResourceKind.class);

  static {
    MATRIX.put(ResourceKind.APP, table(
        Action.VIEW, Role.GUEST, Action.READ, Role.REPORTER, Action.EXEC, Role.DEVELOPER, Action.DEPLOY, Role.MASTER,
        Action.SCALE, Role.MASTER, Action.ALERTS, Role.MASTER, Action.MEMBERS, Role.MASTER, Action.DELETE, Role.OWNER));
    MATRIX.put(ResourceKind.REPO, table(
        Action.VIEW, Role.GUEST, Action.PULL, Role.REPORTER, Action.PUSH, Role.DEVELOPER, Action.DELETE_TAG, Role.MASTER,
        Action.VISIBILITY, Role.MASTER, Action.MEMBERS, Role.MASTER));
    MATRIX.put(ResourceKind.GROUP, table(
        Action.VIEW, Role.GUEST, Action.PULL, Role.REPORTER, Action.PUSH, Role.DEVELOPER,
        Action.DELETE_TAG, Role.MASTER, Action.MEMBERS, Role.MASTER));
    MATRIX.put(ResourceKind.BUILD, table(
        Action.VIEW, Role.GUEST, Action.READ, Role.REPORTER, Action.RUN, Role.DEVELOPER, Action.CANCEL, Role.DEVELOPER,
        Action.LOGS, Role.REPORTER, Action.SETTINGS, Role.MASTER, Action.WEBHOOK, Role.MASTER, Action.MEMBERS, Role.MASTER,
        Action.DELETE, Role.OWNER));
  }

  private Permissions() {}

  private static Map<Action, Role> table(Object... pairs) {
    Map<Action, Role> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put((Action) pairs[i], (Role) pairs[i + 1]);
    return Collections.unmodifiableMap(m);
  }

  /** The actions that apply to {@code kind}, in the documented order, each with the least role that may take it. */
  public static Map<Action, Role> of(ResourceKind kind) {
    return MATRIX.get(kind);
  }

  /** The least role that may take {@code action} on {@code kind}; empty when the action does not apply to that kind. */
  public static Optional<Role> least(ResourceKind kind, Action action) {
    return Optional.ofNullable(MATRIX.get(kind).get(action));
  }

  /** True when a member with {@code role} (null: not a member) may take {@code action} on a resource of {@code kind}. */
  public static boolean allows(ResourceKind kind, Role role, Action action) {
    Role least = MATRIX.get(kind).get(action);
    return least != null && role != null && role.atLeast(least);
  }
}
