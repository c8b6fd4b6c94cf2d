package io.berth.store;

import java.nio.charset.StandardCharsets;

/** One stored key with the revisions at which it was created and last modified. */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long lease) {

  /** The value as UTF-8 text. */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }
}
