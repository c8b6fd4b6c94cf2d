package io.berth.core.lrp;

/**
 * Diego's version of a record: {@code epoch} names one incarnation (a new one when the record is
 * recreated), {@code index} counts changes within it. Clients compare tags to order what they see.
 */
public record ModificationTag(String epoch, long index) {
  /** The tag after one more change. */
  public ModificationTag next() {
    return new ModificationTag(epoch, index + 1);
  }
}
