package io.berth.manager.scale;

import io.berth.core.app.App;
import io.berth.core.error.BerthException;
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
        try {
          return Optional.of(apps.get(name));
        } catch (BerthException.NotFound e) {
          return Optional.empty(); // removed meanwhile: its autoscale record goes with it
        }
      }

      @Override
      public void scale(String app, int instances, String reason) {
        apps.autoscale(app, instances, reason);
      }
    };
  }
}
