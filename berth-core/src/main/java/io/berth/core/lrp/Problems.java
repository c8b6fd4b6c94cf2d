package io.berth.core.lrp;

import io.berth.core.error.BerthException;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one request, each {@code path: what is wrong}, reported together as one
 * {@link BerthException.Invalid} so a user fixes a manifest in one round rather than one per field.
 */
public final class Problems {
  /** Past this many the message says how many more there are rather than growing without bound. */
  static final int SHOWN = 20;

  private final List<String> found = new ArrayList<>();

  /** Records that the field at {@code path} is wrong; an empty path means the request as a whole. */
  public void add(String path, String problem) {
    found.add(path.isEmpty() ? problem : path + ": " + problem);
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<String> all() {
    return List.copyOf(found);
  }

  /** Throws the problems found as one message, {@code "a: x; b: y"}; nothing when there are none. */
  public void throwIfAny() {
    throwIfAny("InvalidRequest");
  }

  /** As {@link #throwIfAny()}, with the error's {@code name} ({@code InvalidManifest}). */
  public void throwIfAny(String name) {
    if (found.isEmpty()) return;
    List<String> shown = found.size() > SHOWN ? found.subList(0, SHOWN) : found;
    String message = String.join("; ", shown);
    if (found.size() > SHOWN) message += "; and " + (found.size() - SHOWN) + " more";
    throw new BerthException.Invalid(name, message);
  }

  /** {@code "text"} with quotes, cut short when long, for "got …" in messages. */
  public static String quote(String s) {
    return s.length() > 60 ? "\"" + s.substring(0, 57) + "...\"" : "\"" + s + "\"";
  }
}
