package io.berth.manager.alert;

import io.berth.core.alert.AlertRule;
import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.app.ManifestAlerts;
import io.berth.core.error.BerthException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every app's rules, from both places: the manifest of its current version (source {@code manifest})
 * and the store ({@code cli}). A deploy changes the first set and never the second. Should both
 * have a rule of one name (a CLI rule added before a manifest took the name), the manifest's wins
 * and the other is not evaluated until the manifest drops it.
 */
final class RuleBook {
  private static final Logger log = LoggerFactory.getLogger(RuleBook.class);
  private final AlertStore store;
  private final AppSource apps;

  /** What the rules need of the apps (the app service's reads). */
  interface AppSource {
    List<App> list();

    /** The app, or a 404. */
    App get(String name);

    AppVersion version(String app, int version);
  }

  RuleBook(AlertStore store, AppSource apps) {
    this.store = store;
    this.apps = apps;
  }

  /** The apps there are (not being removed), each with its rules, by app name. */
  Map<String, List<AlertRule>> all() {
    Map<String, List<AlertRule>> out = new LinkedHashMap<>();
    for (App a : apps.list()) if (!a.removing()) out.put(a.name(), manifest(a));
    for (AlertRule r : store.rules(Optional.empty())) {
      List<AlertRule> of = out.get(r.app());
      if (of != null && of.stream().noneMatch(m -> m.name().equals(r.name()))) of.add(r);
    }
    return out;
  }

  /** One app's rules; a 404 when the app does not exist. */
  List<AlertRule> of(String app) {
    List<AlertRule> out = manifest(apps.get(app));
    Set<String> names = new HashSet<>();
    for (AlertRule r : out) names.add(r.name());
    for (AlertRule r : store.rules(Optional.of(app))) if (names.add(r.name())) out.add(r);
    return out;
  }

  /** The rule {@code app/name}, or a 404 naming it. */
  AlertRule rule(String app, String name) {
    return of(app).stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new BerthException.NotFound("AlertRuleNotFound", "app " + app + " has no alert rule named " + name));
  }

  private List<AlertRule> manifest(App a) {
    List<AlertRule> out = new ArrayList<>();
    if (a.current() < 1) return out;
    AppVersion v = apps.version(a.name(), a.current());
    List<AppManifest.Alert> alerts = v.manifest().alerts();
    if (alerts == null) return out; // a version deployed before manifests had alerts
    for (AppManifest.Alert alert : alerts) {
      try {
        out.add(ManifestAlerts.rule(a.name(), alert, v.deployedBy(), v.deployedAt()));
      } catch (BerthException.Invalid e) { // checked at deploy; only a later, stricter Berth could refuse it now
        log.warn("alert-rule-skipped app={} version={} rule={}: {}", a.name(), v.version(), alert.name(), e.getMessage());
      }
    }
    return out;
  }
}
