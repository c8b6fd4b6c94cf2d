package io.berth.manager.registry;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The least {@link Access} the registry works with while a manager has no store-backed one: the
 * admin token is the administrator ({@code Bearer TOKEN}, or {@code docker login -u admin} with the
 * token as password), everyone else is anonymous; visibility is kept in memory. Replaced by the
 * manager's real access (users, members, audit) where it is wired.
 */
public final class AdminTokenAccess implements Access {
  private static final Logger log = LoggerFactory.getLogger(AdminTokenAccess.class);
  private final ClusterSecrets secrets;
  private final Set<String> publicRepos = ConcurrentHashMap.newKeySet();

  private AdminTokenAccess(ClusterSecrets secrets) {
    this.secrets = secrets;
  }

  public static Access of(ClusterSecrets secrets) {
    return new AdminTokenAccess(secrets);
  }

  @Override
  public Principal caller(Optional<String> authorization, String remoteAddress) {
    if (authorization.isEmpty()) return Principal.anonymous();
    String h = authorization.get().trim();
    if (h.startsWith("Bearer ") && secrets.isAdminToken(h.substring(7).trim())) return Principal.adminToken();
    throw new BerthException.Unauthorized("invalid token");
  }

  @Override
  public Principal signIn(String user, String secret, String remoteAddress) {
    if (user.equals("admin") && secrets.isAdminToken(secret)) return Principal.adminToken();
    throw new BerthException.Unauthorized("wrong user name or password");
  }

  @Override
  public Principal certificateUser(String user, String serial) {
    throw new BerthException.Unauthorized("client certificates are not known here");
  }

  @Override
  public Optional<Role> role(Principal p, ResourceKind kind, String name) {
    return p.admin() ? Optional.of(Role.OWNER) : Optional.empty();
  }

  @Override
  public boolean allows(Principal p, ResourceKind kind, String name, Action action) {
    return p.admin() || (kind == ResourceKind.REPO && action == Action.PULL && publicRepos.contains(name));
  }

  @Override
  public void require(Principal p, ResourceKind kind, String name, Action action) {
    if (allows(p, kind, name, action)) return;
    if (p.isAnonymous()) throw new BerthException.Unauthorized("sign in to " + action.word() + " " + kind.word() + " " + name);
    throw new BerthException.Forbidden(p.user() + " may not " + action.word() + " " + kind.word() + " " + name + ": only the administrator may");
  }

  @Override
  public void created(Principal p, ResourceKind kind, String name) {}

  @Override
  public void removed(ResourceKind kind, String name) {}

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
  public void audit(AuditEntry e) {
    log.info("audit user={} via={} from={} action=\"{}\" target=\"{}\" status={}", e.user(), e.via(), e.from(), e.action(), e.target(), e.status());
  }
}
