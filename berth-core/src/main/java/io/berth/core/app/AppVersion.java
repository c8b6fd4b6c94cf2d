package io.berth.core.app;

import io.berth.core.id.ProcessGuid;
import java.time.Instant;

/**
 * One deploy of an app, never changed once written: its resolved manifest, who made it and when.
 * It runs as the DesiredLRP {@code APP-vN}.
 *
 * @param note what made it ({@code deploy}, or how it differs: {@code image berth/busybox:2})
 */
public record AppVersion(String app, int version, AppManifest manifest, String deployedBy, Instant deployedAt, String note) {
  public ProcessGuid processGuid() {
    return processGuid(app, version);
  }

  public static ProcessGuid processGuid(String app, int version) {
    return new ProcessGuid(app + "-v" + version);
  }
}
