package io.berth.manager.scale;

import io.berth.core.app.Autoscale;
import io.berth.core.scale.Recommendation;
import java.time.Instant;
import java.util.List;

/**
 * An app's autoscaling in the store ({@code /berth/apps/{app}/autoscale}, removed with the app):
 * the policy, who set it and when, and the recommendations of the stabilisation window, so a new
 * leader keeps the window the last one built.
 */
record AutoscaleRecord(String app, Autoscale autoscale, String setBy, Instant setAt, List<Recommendation> recommendations) {
  AutoscaleRecord {
    recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
  }

  AutoscaleRecord withRecommendations(List<Recommendation> r) {
    return new AutoscaleRecord(app, autoscale, setBy, setAt, r);
  }
}
