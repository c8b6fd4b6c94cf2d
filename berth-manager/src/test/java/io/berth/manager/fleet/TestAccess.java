package io.berth.manager.fleet;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Access} held in memory for the fleet's, the Docker endpoint's and the bundles' tests: users, tokens, members, revoked bundles, the audit. */
public final class TestAccess implements Access {
  public final Set<String> users = new HashSet<>(Set.of("admin"));
  public final Map<String, Principal> tokens = new HashMap<>();
  public final Map<String, Role> members = new HashMap<>();
  public final Set<String> revoked = new HashSet<>();
  /** Recorded as each answer goes out: a test awaits it rather than reading it straight after its call returns. */
  public final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
  /** When set, every {@link #caller} throws it: a store outage as the endpoints meet it. */
  public volatile RuntimeException failure;

  public TestAccess user(String name, String token) {
    users.add(name);
    tokens.put(token, new Principal(name, false, "token"));
    return this;
  }

  public TestAccess member(String user, ResourceKind kind, String name, Role role) {
    members.put(user + "|" + kind.word() + "|" + name, role);
    return this;
  }

  public static Principal user(String name) {
    return new Principal(name, false, "cert");
  }

  @Override
  public Principal caller(Optional<String> authorization, String remoteAddress) {
    if (failure != null) throw failure;
    if (authorization.isEmpty()) return Principal.anonymous();
    Principal p = tokens.get(authorization.get().replaceFirst("^Bearer ", ""));
    if (p == null) throw new BerthException.Unauthorized("invalid token");
    return p;
  }

  @Override
  public Principal signIn(String user, String secret, String remoteAddress) {
    throw new BerthException.Unauthorized("wrong user or password");
  }

  @Override
  public Principal certificateUser(String user, String serial) {
    if (revoked.contains(serial)) throw new BerthException.Unauthorized("bundle " + serial + " was revoked");
    if (!users.contains(user)) throw new BerthException.Unauthorized("no such user: " + user);
    return new Principal(user, user.equals("admin"), "cert");
  }

  @Override
  public Optional<Role> role(Principal p, ResourceKind kind, String name) {
    return Optional.ofNullable(members.get(p.user() + "|" + kind.word() + "|" + name));
  }

  @Override
  public boolean allows(Principal p, ResourceKind kind, String name, Action action) {
    return p.admin() || Permissions.allows(kind, role(p, kind, name).orElse(null), action);
  }

  @Override
  public void require(Principal p, ResourceKind kind, String name, Action action) {
    if (!allows(p, kind, name, action)) throw new BerthException.Forbidden(p.user() + " may not " + action.word());
  }

  @Override
  public void created(Principal p, ResourceKind kind, String name) {}

  @Override
  public void removed(ResourceKind kind, String name) {}

  @Override
  public boolean isPublic(String repository) {
    return false;
  }

  @Override
  public void setPublic(String repository, boolean isPublic) {}

  @Override
  public void audit(AuditEntry entry) {
    audit.add(entry);
  }
}
