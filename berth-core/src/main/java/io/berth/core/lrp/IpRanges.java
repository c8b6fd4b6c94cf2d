package io.berth.core.lrp;

import java.util.regex.Pattern;

/**
 * Reads the destinations of egress rules as Diego does (Go's {@code net.ParseIP} and
 * {@code net.ParseCIDR}): an address, {@code first-last}, or {@code address/prefix}, IPv4 or IPv6.
 * Text only: core resolves nothing.
 */
final class IpRanges {
  private static final Pattern V4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private IpRanges() {}

  static boolean isDestination(String d) {
    int dash = d.indexOf('-');
    int slash = d.indexOf('/');
    if (dash >= 0 && slash < 0) {
      String first = d.substring(0, dash);
      String last = d.substring(dash + 1);
      if (isV4(first) && isV4(last)) return v4Value(first) <= v4Value(last);
      return isV6(first) && isV6(last);
    }
    if (slash >= 0 && dash < 0) {
      String address = d.substring(0, slash);
      String prefix = d.substring(slash + 1);
      if (!prefix.matches("\\d{1,3}")) return false;
      int bits = Integer.parseInt(prefix);
      return isV4(address) ? bits <= 32 : isV6(address) && bits <= 128;
    }
    return dash < 0 && (isV4(d) || isV6(d));
  }

  static boolean isV4(String s) {
    if (!V4.matcher(s).matches()) return false;
    for (String part : s.split("\\.")) if (Integer.parseInt(part) > 255) return false;
    return true;
  }

  private static long v4Value(String s) {
    long v = 0;
    for (String part : s.split("\\.")) v = v << 8 | Integer.parseInt(part);
    return v;
  }

  /** Eight groups of hex, or fewer around one {@code ::}; the last two may be written as IPv4. */
  static boolean isV6(String s) {
    if (!s.contains(":")) return false;
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return false;
    String head = gap >= 0 ? s.substring(0, gap) : s;
    String tail = gap >= 0 ? s.substring(gap + 2) : "";
    // The embedded IPv4 form may only end the address, so never just before a trailing "::".
    String last = tail.isEmpty() ? head : tail;
    String first = tail.isEmpty() ? "" : head;
    boolean v4Ends = gap < 0 || !tail.isEmpty();
    int groups = 0;
    String[] sides = {first, last};
    for (int j = 0; j < sides.length; j++) {
      if (sides[j].isEmpty()) continue;
      String[] parts = sides[j].split(":", -1);
      for (int i = 0; i < parts.length; i++) {
        if (j == 1 && v4Ends && i == parts.length - 1 && isV4(parts[i])) groups += 2;
        else if (HEX_GROUP.matcher(parts[i]).matches()) groups++;
        else return false;
      }
    }
    return gap >= 0 ? groups < 8 : groups == 8;
  }
}
