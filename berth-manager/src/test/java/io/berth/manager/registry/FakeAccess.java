package io.berth.manager.registry;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link Access}: users with passwords, members per resource, public repositories, the audit. */
final class FakeAccess implements Access {
  final Map<String, String> passwords = new ConcurrentHashMap<>();
  final Set<String> admins = ConcurrentHashMap.newKeySet();
  final Map<String, Map<String, Role>> members = new ConcurrentHashMap<>();
  final Set<String> publicRepos = ConcurrentHashMap.newKeySet();
  final List<AuditEntry> audit = Collections.synchronizedList(new ArrayList<>());

  FakeAccess user(String name, String password) {
    passwords.put(name, password);
    return this;
  }

  FakeAccess admin(String name, String password) {
    admins.add(name);
    return user(name, password);
  }

  FakeAccess member(ResourceKind kind, String name, String user, Role role) {
    members.computeIfAbsent(key(kind, name), k -> new ConcurrentHashMap<>()).put(user, role);
    return this;
  }

  Principal principal(String user) {
    return new Principal(user, admins.contains(user), "password");
  }

  private static String key(ResourceKind kind, String name) {
    return kind.word() + ":" + name;
  }

  @Override
  public Principal caller(Optional<String> authorization, String remoteAddress) {
    if (authorization.isEmpty()) return Principal.anonymous();
    String h = authorization.get();
    if (h.startsWith("Bearer ") && passwords.containsKey(h.substring(7))) return new Principal(h.substring(7), admins.contains(h.substring(7)), "token");
    throw new BerthException.Unauthorized("invalid token");
  }

  @Override
  public Principal signIn(String user, String secret, String remoteAddress) {
    if (!secret.equals(passwords.get(user))) throw new BerthException.Unauthorized("wrong user name or password");
    return principal(user);
  }

  @Override
  public Principal certificateUser(String user, String serial) {
    return principal(user);
  }

  @Override
  public Optional<Role> role(Principal p, ResourceKind kind, String name) {
    Role own = members.getOrDefault(key(kind, name), Map.of()).get(p.user());
    if (kind == ResourceKind.REPO && name.contains("/")) {
      own = Role.max(own, members.getOrDefault(key(ResourceKind.GROUP, name.substring(0, name.indexOf('/'))), Map.of()).get(p.user()));
    }
    return Optional.ofNullable(own);
  }

  @Override
  public boolean allows(Principal p, ResourceKind kind, String name, Action action) {
    if (p.admin()) return true;
    if (kind == ResourceKind.REPO && action == Action.PULL && publicRepos.contains(name)) return true;
    if (p.isAnonymous()) return false;
    return Permissions.allows(kind, role(p, kind, name).orElse(null), action);
  }

  @Override
  public void require(Principal p, ResourceKind kind, String name, Action action) {
    if (allows(p, kind, name, action)) return;
    if (p.isAnonymous()) throw new BerthException.Unauthorized("sign in to " + action.word() + " " + name);
    throw new BerthException.Forbidden(p.user() + " may not " + action.word() + " " + kind.word() + " " + name);
  }

  @Override
  public void created(Principal p, ResourceKind kind, String name) {
    Map<String, Role> m = members.computeIfAbsent(key(kind, name), k -> new ConcurrentHashMap<>());
    synchronized (m) {
      if (m.isEmpty()) m.put(p.user(), Role.OWNER);
    }
  }

  @Override
  public void removed(ResourceKind kind, String name) {
    members.remove(key(kind, name));
  }

  @Override
  public boolean isPublic(String repository) {
    return publicRepos.contains(repository);
  }

  @Override
  public void setPublic(String repository, boolean isPublic) {
    if (isPublic) publicRepos.add(repository);
    else publicRepos.remove(repository);
  }

  @Override
  public void audit(AuditEntry entry) {
    audit.add(entry);
  }

  Set<String> membersOf(ResourceKind kind, String name) {
    return new HashSet<>(members.getOrDefault(key(kind, name), new HashMap<>()).keySet());
  }
}
