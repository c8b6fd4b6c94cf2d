package io.berth.store;

/** A watch asked for history that compaction has already removed. */
public final class CompactedException extends StoreException {
  private final long compactRevision;

  public CompactedException(long requested, long compactRevision) {
    super("revision " + requested + " was compacted; the oldest revision kept is " + (compactRevision + 1));
    this.compactRevision = compactRevision;
  }

  /** The newest revision that was compacted away. */
  public long compactRevision() {
    return compactRevision;
  }
}
