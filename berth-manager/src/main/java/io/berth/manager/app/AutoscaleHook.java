package io.berth.manager.app;

import io.berth.core.app.Autoscale;

/**
 * What the apps API tells autoscaling (docs/autoscale.md), which lives outside this package: a
 * manual scale about to happen, and a deploy whose manifest named {@code autoscale:}.
 */
public interface AutoscaleHook {
  AutoscaleHook NONE = new AutoscaleHook() {
    @Override
    public void beforeManualScale(String app, boolean force) {}

    @Override
    public void forced(String app, String user) {}

    @Override
    public void deployed(String app, Autoscale autoscale, String user) {}
  };

  /** Refuses (409, with the reason) a manual scale of an autoscaled app unless {@code force}. */
  void beforeManualScale(String app, boolean force);

  /** A manual scale with {@code force} was accepted: the app's autoscaling is off. */
  void forced(String app, String user);

  /** A deploy of {@code app} named {@code autoscale:}: it replaces the app's autoscaling. */
  void deployed(String app, Autoscale autoscale, String user);
}
