package io.berth.manager.app;

import io.berth.cluster.Json;
import io.berth.cluster.wire.RouteTable;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.LrpKey;
import io.berth.core.lrp.PortMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The routes of the apps' healthy instances in the store, at {@code /slb/{group}/domains/{domain}},
 * for the routers to follow: written when they differ from what is there, deleted when nobody
 * serves a domain any more.
 */
final class RoutePublisher {
  private final AppStore store;
  private final BiFunction<String, Integer, Optional<AppVersion>> version;
  private final Function<ProcessGuid, List<ActualLrp>> instances;

  RoutePublisher(AppStore store, BiFunction<String, Integer, Optional<AppVersion>> version,
                 Function<ProcessGuid, List<ActualLrp>> instances) {
    this.store = store;
    this.version = version;
    this.instances = instances;
  }

  /** Writes each group's domains with the instances in traffic, and deletes domains nobody serves now. */
  void publish(List<App> apps, Map<ProcessGuid, List<ActualLrp>> actuals, Map<LrpKey, ActualLrp> evacuees) {
    Map<String, byte[]> keyed = new TreeMap<>();
    for (Map.Entry<String, RouteTable.Domain> e : routesByKey(apps, actuals, evacuees).entrySet()) {
      keyed.put(e.getKey(), Json.bytes(e.getValue()));
    }
    Map<String, byte[]> have = store.published();
    for (Map.Entry<String, byte[]> e : keyed.entrySet()) {
      byte[] old = have.get(e.getKey());
      if (old == null || !Arrays.equals(old, e.getValue())) store.publish(e.getKey(), e.getValue());
    }
    for (String key : have.keySet()) {
      if (key.contains("/domains/") && !keyed.containsKey(key)) store.unpublish(key);
    }
  }

  private Map<String, RouteTable.Domain> routesByKey(List<App> apps, Map<ProcessGuid, List<ActualLrp>> actuals,
                                                     Map<LrpKey, ActualLrp> evacuees) {
    Map<String, RouteTable.Domain> out = new TreeMap<>();
    for (App app : apps) {
      Map<String, List<RouteTable.Upstream>> byDomain = new TreeMap<>();
      Map<String, String> groupOf = new HashMap<>();
      for (App.Live l : app.live()) {
        Optional<AppVersion> v = version.apply(app.name(), l.version());
        if (v.isEmpty()) continue;
        AppManifest m = v.get().manifest();
        if (m.routes().isEmpty() || m.ports().isEmpty()) continue;
        List<RouteTable.Upstream> ups = upstreams(l, m.ports().get(0), actuals.computeIfAbsent(v.get().processGuid(), instances), evacuees);
        for (String domain : m.routes()) {
          groupOf.put(domain, m.routerGroup());
          byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).addAll(ups);
        }
      }
      for (Map.Entry<String, List<RouteTable.Upstream>> e : byDomain.entrySet()) {
        List<RouteTable.Upstream> ups = new ArrayList<>(e.getValue());
        ups.sort(Comparator.comparing(RouteTable.Upstream::processGuid).thenComparingInt(RouteTable.Upstream::index));
        out.putIfAbsent(Keys.route(groupOf.get(e.getKey()), e.getKey()), new RouteTable.Domain(e.getKey(), app.name(), ups));
      }
    }
    return out;
  }

  /** The instances of one version in traffic: running ones at routed indexes, or the slot's evacuee while its replacement starts. */
  static List<RouteTable.Upstream> upstreams(App.Live l, int port, List<ActualLrp> instances, Map<LrpKey, ActualLrp> evacuees) {
    List<RouteTable.Upstream> out = new ArrayList<>();
    for (ActualLrp a : instances) {
      if (a.index() >= l.routed()) continue;
      ActualLrp serving = a.state() == ActualState.RUNNING ? a : evacuees.get(a.key());
      if (serving == null || serving.state() != ActualState.RUNNING) continue;
      for (PortMapping p : serving.ports()) {
        if (p.containerPort() == port) {
          out.add(new RouteTable.Upstream(serving.address(), p.hostPort(), serving.processGuid().value(), serving.index(),
              serving.instanceGuid().value()));
        }
      }
    }
    return out;
  }
}
