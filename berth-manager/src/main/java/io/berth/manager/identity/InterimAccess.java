package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.cluster.ClusterSecrets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Access} a manager uses until the store-backed one (users, tokens, members, audit in
 * the store) replaces it: the admin token is the administrator, a bundle's certificate is the user
 * it names (user {@code admin} being the administrator), nobody is a member of anything, and the
 * audit goes to the log. Permissive about users by design — it knows none — and strict about roles.
 */
public final class InterimAccess implements Access {
  private static final Logger log = LoggerFactory.getLogger(InterimAccess.class);
  private final ClusterSecrets secrets;

  public InterimAccess(ClusterSecrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public Principal caller(Optional<String> authorization, String remoteAddress) {
    if (authorization.isEmpty()) return Principal.anonymous();
    String a = authorization.get();
    if (a.startsWith("Bearer ") && secrets.isAdminToken(a.substring(7).trim())) return Principal.adminToken();
    throw new BerthException.Unauthorized("invalid token");
  }

  @Override
  public Principal signIn(String user, String secret, String remoteAddress) {
    throw new BerthException.Unauthorized("wrong user or password");
  }

  @Override
  public Principal certificateUser(String user, String serial) {
    return new Principal(user, user.equals("admin"), "cert");
  }

  @Override
  public Optional<Role> role(Principal p, ResourceKind kind, String name) {
    return Optional.empty();
  }

  @Override
  public boolean allows(Principal p, ResourceKind kind, String name, Action action) {
    return p.admin();
  }

  @Override
  public void require(Principal p, ResourceKind kind, String name, Action action) {
    if (allows(p, kind, name, action)) return;
    if (p.isAnonymous()) throw new BerthException.Unauthorized("sign in first: " + action.word() + " on " + kind.word() + " " + name + " needs a user");
    throw new BerthException.Forbidden(p.user() + " may not " + action.word() + " " + kind.word() + " " + name + ": " + p.user()
        + " is not a member");
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
  public void audit(AuditEntry e) {
    log.info("audit user={} via={} from={} action=\"{}\" target={} status={} outcome={}", e.user(), e.via(), e.from(), e.action(),
        e.target(), e.status(), e.outcome());
  }
}
