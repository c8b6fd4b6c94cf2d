package io.berth.core.identity;

import io.berth.core.error.BerthException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A member's role on one resource, strongest first (GitLab's ladder, as LeEngine used it). */
public enum Role {
  OWNER, MASTER, DEVELOPER, REPORTER, GUEST;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this role is {@code other} or stronger. */
  public boolean atLeast(Role other) {
    return ordinal() <= other.ordinal();
  }

  /** The stronger of two roles; either may be null. */
  public static Role max(Role a, Role b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.atLeast(b) ? a : b;
  }

  /** Parses a role word; an unknown one is a 400 naming the roles there are. */
  public static Role parse(String word) {
    for (Role r : values()) if (r.word().equalsIgnoreCase(word == null ? "" : word.trim())) return r;
    throw new BerthException.Invalid("UnknownRole", "no such role: '" + word + "' (roles: "
        + Arrays.stream(values()).map(Role::word).collect(Collectors.joining(", ")) + ")");
  }
}
