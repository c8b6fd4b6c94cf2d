package io.berth.manager.leader;

import java.util.OptionalLong;

/**
 * Where a manager notes the lease of its record, to find it again in its next life: its data dir,
 * which {@code berth manage} locks for one process, so a noted lease is one only a dead process held.
 */
public interface LeaseNote {
  /** Notes nothing and finds nothing: every restart waits out its previous life's record. */
  LeaseNote NONE = new LeaseNote() {
    @Override
    public OptionalLong read() {
      return OptionalLong.empty();
    }

    @Override
    public void write(long lease) {}
  };

  /** The lease noted last, if any. */
  OptionalLong read();

  /** Notes the lease this manager's record is on now. */
  void write(long lease);
}
