package io.berth.manager.scale;

import io.berth.core.scale.Load;

/** What an app's instances measure now: the autoscaler's only view of metrics, so its tests can give their own. */
interface LoadSource {
  /** The load of {@code app}'s instances {@code 0 … instances-1} of {@code version}, as sampled near {@code nowMillis}. */
  Load load(String app, int version, int instances, long nowMillis);
}
