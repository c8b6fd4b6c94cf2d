package io.berth.store;

/**
 * One change seen by a watch. For a delete, {@code kv.value()} is empty and
 * {@code previous} holds the value before it when the store knows it.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue previous) {

  /** What happened to the key. */
  public enum Type { PUT, DELETE }

  /** The revision this change committed at. */
  public long revision() {
    return kv.modRevision();
  }
}
