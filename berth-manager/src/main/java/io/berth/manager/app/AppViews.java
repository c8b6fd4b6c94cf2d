package io.berth.manager.app;

import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.app.Rollout;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.PortMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The apps API's answers (docs/apps.md): an app with what its instances do, its instances, its versions. */
final class AppViews {
  private AppViews() {}

  record AppStatus(String name, String owner, Instant createdAt, String routerGroup, List<String> routes, int instances,
                   int latestVersion, List<VersionStatus> versions, Rollout rollout, boolean removing) {}

  record VersionStatus(int version, ProcessGuid processGuid, String image, int instances, int routed, int running) {}

  record AppInstance(int version, ProcessGuid processGuid, int index, InstanceGuid instanceGuid, String state, NodeName node,
                     String address, List<PortMapping> ports, Instant since, int crashCount, String crashReason, boolean routed) {}

  record VersionView(String app, int version, ProcessGuid processGuid, String image, AppManifest manifest, String deployedBy,
                     Instant deployedAt, String note, boolean active) {}

  static AppStatus status(App app, Function<Integer, AppVersion> versions, Function<ProcessGuid, List<ActualLrp>> actuals) {
    AppVersion current = versions.apply(app.current());
    List<VersionStatus> vs = new ArrayList<>();
    for (App.Live l : app.live()) {
      AppVersion v = versions.apply(l.version());
      ProcessGuid guid = AppVersion.processGuid(app.name(), l.version());
      int running = (int) actuals.apply(guid).stream().filter(a -> a.index() < l.instances() && a.state() == ActualState.RUNNING).count();
      vs.add(new VersionStatus(l.version(), guid, v == null ? "" : v.manifest().image(), l.instances(), l.routed(), running));
    }
    AppManifest m = current == null ? null : current.manifest();
    return new AppStatus(app.name(), app.owner(), app.createdAt(), m == null ? "" : m.routerGroup(),
        m == null ? List.of() : m.routes(), app.instances(), app.latestVersion(), vs, app.rollout(), app.removing());
  }

  static List<AppInstance> instances(App app, Function<ProcessGuid, List<ActualLrp>> actuals, Set<String> routed) {
    List<AppInstance> out = new ArrayList<>();
    for (App.Live l : app.live()) {
      ProcessGuid guid = AppVersion.processGuid(app.name(), l.version());
      List<ActualLrp> as = new ArrayList<>(actuals.apply(guid));
      as.sort(Comparator.comparingInt(ActualLrp::index));
      for (ActualLrp a : as) {
        out.add(new AppInstance(l.version(), guid, a.index(), a.instanceGuid(), a.state().toString(), a.cellId(), a.address(),
            a.ports(), Instant.ofEpochSecond(0, a.since()), a.crashCount(), a.crashReason(), routed.contains(a.instanceGuid().value())));
      }
    }
    return out;
  }

  static VersionView view(AppVersion v, App app) {
    boolean active = app.live().stream().anyMatch(l -> l.version() == v.version() && l.instances() > 0);
    return new VersionView(v.app(), v.version(), v.processGuid(), v.manifest().image(), v.manifest(), v.deployedBy(),
        v.deployedAt(), v.note(), active);
  }
}
