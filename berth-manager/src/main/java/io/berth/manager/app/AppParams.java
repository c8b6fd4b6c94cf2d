package io.berth.manager.app;

import io.berth.core.error.BerthException;
import io.berth.manager.http.Request;

/** The numbers the apps' routes read from paths and queries, each a 400 in words when it is not one. */
final class AppParams {
  private AppParams() {}

  /** {@code 3} or {@code v3}. */
  static int versionNumber(String v) {
    String s = v.startsWith("v") ? v.substring(1) : v;
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("not a version: " + v + " (use 3 or v3)");
    }
  }

  /** A whole number of at least 0, named {@code name} in the error. */
  static long parseLong(String s, String name) {
    try {
      long n = Long.parseLong(s);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid(name + " must be a whole number >= 0, got " + s);
    }
  }

  /** {@code ?limit=} of an app's events: 1 to the events kept, 100 by default. */
  static int limit(Request r) {
    long n = parseLong(r.query("limit").orElse("100"), "limit");
    if (n < 1 || n > AppStore.EVENTS_KEPT) throw new BerthException.Invalid("limit must be from 1 to " + AppStore.EVENTS_KEPT);
    return (int) n;
  }
}
