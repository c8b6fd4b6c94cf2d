package io.berth.core.lrp;

import io.berth.core.id.ProcessGuid;
/** One instance slot: the index of a process. */
public record LrpKey(ProcessGuid processGuid, int index) {
  @Override
  public String toString() {
    return processGuid + "/" + index;
  }
}
