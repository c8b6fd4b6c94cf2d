package io.berth.core.node;

import java.util.regex.Pattern;

/** The rule for node names: what a DNS label allows, so names work in hosts, URLs and keys. */
public final class NodeNames {
  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62})");

  private NodeNames() {}

  /** True when {@code name} is a valid node name. */
  public static boolean valid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Returns the name when valid; throws with a sentence saying what is allowed otherwise. */
  public static String check(String name) {
    if (!valid(name)) {
      throw new IllegalArgumentException("invalid node name '" + name
          + "': use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
