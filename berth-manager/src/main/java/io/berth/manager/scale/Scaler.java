package io.berth.manager.scale;

import io.berth.core.app.App;
import io.berth.manager.app.AppService;
import java.util.Optional;

/** How the autoscaler sees and scales apps: through the apps' service, as an ordinary scale; a fake in tests. */
interface Scaler {
  Optional<App> app(String name);

  /** Scales as {@code berth app scale} does (out of the routes before stopping); throws when the app is busy. */
  void scale(String app, int instances, String reason);

  static Scaler of(AppService apps) {
    return new Scaler() {
      @Override
      public Optional<App> app(String name) {
        return apps.list().stream().filter(a -> a.name().equals(name)).findFirst();
      }

      @Override
      public void scale(String app, int instances, String reason) {
        apps.autoscale(app, instances, reason);
      }
    };
  }
}
