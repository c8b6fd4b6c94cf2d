package io.berth.core.app;

import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertRules;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.Problems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code alerts:} of a manifest: each rule checked as {@code berth alert add} checks one, each name once. */
public final class ManifestAlerts {
  private ManifestAlerts() {}

  static void check(Problems p, AppManifest m) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.alerts().size(); i++) {
      AppManifest.Alert a = m.alerts().get(i);
      if (a == null) {
        p.add("alerts[" + i + "]", "must be a rule: {name, when, for, severity, webhooks, emails}");
        continue;
      }
      if (a.name() != null && !names.add(a.name())) p.add("alerts[" + i + "]", "the name " + a.name() + " is used twice");
      try {
        rule(m.name(), a, "", Instant.EPOCH);
      } catch (BerthException.Invalid e) {
        for (String problem : e.getMessage().split("; ")) p.add("", problem);
      }
    }
  }

  /** The manifest's alerts with their defaults; the manifest must have been checked. */
  static List<AppManifest.Alert> filled(AppManifest m) {
    List<AppManifest.Alert> out = new ArrayList<>();
    for (AppManifest.Alert a : m.alerts()) {
      AlertRule r = rule(m.name(), a, "", Instant.EPOCH);
      out.add(new AppManifest.Alert(r.name(), r.when(), r.forDuration(), r.severity(), r.webhooks(), r.emails()));
    }
    return out;
  }

  /** One alert of an app's version as a rule of source {@code manifest}, deployed by {@code by} at {@code at}. */
  public static AlertRule rule(String app, AppManifest.Alert a, String by, Instant at) {
    return AlertRules.check(app, a.name(), a.when(), a.forDuration(), a.severity(), a.webhooks(), a.emails(), AlertRule.Source.MANIFEST,
        by, at);
  }
}
