package io.berth.core.lrp;

/** One instance slot: the index of a process. */
public record LrpKey(String processGuid, int index) {
  @Override
  public String toString() {
    return processGuid + "/" + index;
  }
}
