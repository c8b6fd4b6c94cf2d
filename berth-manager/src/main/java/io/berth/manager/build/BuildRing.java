package io.berth.manager.build;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A consistent-hash ring of build nodes, each at {@value #VIRTUAL} points: a build lands on the first
 * node at or after its name's point, so it keeps landing there while that node lives (its caches
 * stay warm), and when the node goes only the builds it held move, each to the next node on the ring.
 */
final class BuildRing {
  static final int VIRTUAL = 64;
  private final TreeMap<Long, String> points = new TreeMap<>();

  BuildRing(Collection<String> nodes) {
    for (String n : nodes) {
      for (int i = 0; i < VIRTUAL; i++) points.put(hash(n + "#" + i), n);
    }
  }

  /** The node build {@code name} goes to; empty when the ring has none. */
  Optional<String> owner(String name) {
    if (points.isEmpty()) return Optional.empty();
    Map.Entry<Long, String> e = points.ceilingEntry(hash(name));
    return Optional.of((e == null ? points.firstEntry() : e).getValue());
  }

  /** The first eight bytes of the SHA-256 of the text: spread evenly whatever the names look like. */
  static long hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
