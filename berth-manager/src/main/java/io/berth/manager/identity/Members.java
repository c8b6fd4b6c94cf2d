package io.berth.manager.identity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who belongs to which resource with which role: {@code /berth/members/{kind}/{name}/{user}} in
 * the store, mirrored in memory by a watch (every API call asks, so a check is a map lookup). This
 * manager's own writes go to the mirror at once; other managers' arrive by the watch.
 */
public final class Members implements AutoCloseable {
  private final StateStore store;
  private final Clock clock;
  /** "kind/segment" → user → member. */
  private final Map<String, Map<String, Member>> byResource = new ConcurrentHashMap<>();
  private final Watch watch;
  /** The revision of this manager's last put of each key, to tell its own late watch events from news. */
  private final Map<String, Long> written = new ConcurrentHashMap<>();

  /** One membership as stored. */
  public record Member(String role, String addedBy, Instant addedAt) {
    Role parsed() {
      return Role.parse(role);
    }
  }

  /** A membership as the API shows it. */
  public record View(String user, String role, String addedBy, Instant addedAt) {}

  Members(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    Page page = store.range(Keys.MEMBERS, 0);
    for (KeyValue kv : page.items()) apply(kv.key(), kv.value());
    this.watch = store.watch(Keys.MEMBERS, page.revision() + 1, this::changed);
  }

  private void changed(WatchEvent e) {
    if (e.type() == WatchEvent.Type.PUT) {
      // This manager's own write reaches the mirror before its watch event does; a put the mirror already
      // has (or one older than it) must not bring back a membership removed since.
      Long known = written.get(e.kv().key());
      if (known != null && e.revision() <= known) return;
      apply(e.kv().key(), e.kv().value());
    } else {
      apply(e.kv().key(), null);
    }
  }

  private void apply(String key, byte[] value) {
    String rest = key.substring(Keys.MEMBERS.length());
    int slash = rest.lastIndexOf('/');
    if (slash < 0) return;
    String resource = rest.substring(0, slash);
    String user = rest.substring(slash + 1);
    if (value == null || value.length == 0) {
      byResource.computeIfPresent(resource, (k, m) -> {
        m.remove(user);
        return m.isEmpty() ? null : m;
      });
    } else {
      Member m = Json.read(value, Member.class);
      byResource.computeIfAbsent(resource, k -> new ConcurrentHashMap<>()).put(user, m);
    }
  }

  private static String resource(ResourceKind kind, String name) {
    return kind.word() + "/" + Keys.segment(name);
  }

  private static String key(ResourceKind kind, String name, String user) {
    return Keys.members(kind.word(), name) + user;
  }

  public Optional<Role> role(ResourceKind kind, String name, String user) {
    Map<String, Member> m = byResource.get(resource(kind, name));
    Member member = m == null ? null : m.get(user);
    return member == null ? Optional.empty() : Optional.of(member.parsed());
  }

  public List<View> list(ResourceKind kind, String name) {
    Map<String, Member> m = byResource.getOrDefault(resource(kind, name), Map.of());
    List<View> out = new ArrayList<>();
    m.forEach((user, member) -> out.add(new View(user, member.role(), member.addedBy(), member.addedAt())));
    out.sort(Comparator.comparing((View v) -> Role.parse(v.role())).thenComparing(View::user));
    return out;
  }

  public boolean hasMembers(ResourceKind kind, String name) {
    Map<String, Member> m = byResource.get(resource(kind, name));
    return m != null && !m.isEmpty();
  }

  /** The names of the resources of {@code kind} where {@code user} has any role. */
  public Set<String> resourcesOf(String user, ResourceKind kind) {
    Set<String> out = new TreeSet<>();
    String prefix = kind.word() + "/";
    byResource.forEach((resource, m) -> {
      if (resource.startsWith(prefix) && m.containsKey(user)) {
        out.add(Keys.unsegment(resource.substring(prefix.length())));
      }
    });
    return out;
  }

  /** One resource, as the owner checks name it: {@code app hello}. */
  public record Resource(ResourceKind kind, String name) {
    @Override
    public String toString() {
      return kind.word() + " " + name;
    }
  }

  /** Every membership of a user (to tell what removing the user would orphan). */
  public Map<Resource, Role> membershipsOf(String user) {
    Map<Resource, Role> out = new LinkedHashMap<>();
    byResource.forEach((resource, m) -> {
      Member member = m.get(user);
      if (member == null) return;
      int slash = resource.indexOf('/');
      out.put(new Resource(ResourceKind.parse(resource.substring(0, slash)), Keys.unsegment(resource.substring(slash + 1))),
          member.parsed());
    });
    return out;
  }

  /**
   * Every membership of {@code user} as the store holds it now, and each of those resources' owners: the owner
   * checks read this under the owners lock, since the mirror may not have another manager's last change yet.
   */
  Map<Resource, Role> storedMembershipsOf(String user) {
    Map<Resource, Role> out = new LinkedHashMap<>();
    for (KeyValue kv : store.range(Keys.MEMBERS, 0).items()) {
      String rest = kv.key().substring(Keys.MEMBERS.length());
      int kindEnd = rest.indexOf('/');
      int userStart = rest.lastIndexOf('/');
      if (kindEnd < 0 || userStart <= kindEnd || !rest.substring(userStart + 1).equals(user)) continue;
      out.put(new Resource(ResourceKind.parse(rest.substring(0, kindEnd)), Keys.unsegment(rest.substring(kindEnd + 1, userStart))),
          Json.read(kv.value(), Member.class).parsed());
    }
    return out;
  }

  /** The owners the store holds for the resource now (see {@link #storedMembershipsOf}). */
  Set<String> storedOwners(ResourceKind kind, String name) {
    String prefix = Keys.members(kind.word(), name);
    Set<String> out = new TreeSet<>();
    for (KeyValue kv : store.range(prefix, 0).items()) {
      if (Json.read(kv.value(), Member.class).parsed() == Role.OWNER) out.add(kv.key().substring(prefix.length()));
    }
    return out;
  }

  void put(ResourceKind kind, String name, String user, Role role, String by) {
    byte[] value = Json.bytes(new Member(role.word(), by, clock.instant()));
    written.put(key(kind, name, user), store.put(key(kind, name, user), value));
    apply(key(kind, name, user), value);
  }

  /** Makes {@code user} the owner when the resource has no members yet. */
  void putFirstOwner(ResourceKind kind, String name, String user) {
    if (hasMembers(kind, name)) return;
    byte[] value = Json.bytes(new Member(Role.OWNER.word(), user, clock.instant()));
    Optional<Long> rev = store.compareAndPut(key(kind, name, user), value, 0, 0);
    if (rev.isPresent()) {
      written.put(key(kind, name, user), rev.get());
      apply(key(kind, name, user), value);
    }
  }

  boolean remove(ResourceKind kind, String name, String user) {
    boolean removed = store.delete(key(kind, name, user));
    apply(key(kind, name, user), null);
    return removed;
  }

  void removeAll(ResourceKind kind, String name) {
    for (View v : list(kind, name)) remove(kind, name, v.user());
  }

  void removeUser(String user) {
    for (ResourceKind kind : ResourceKind.values()) {
      for (String name : resourcesOf(user, kind)) remove(kind, name, user);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
