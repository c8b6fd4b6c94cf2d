package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import java.util.Optional;

/**
 * Who calls, and what they may do: the one place every edge (the Berth API, the Docker endpoint,
 * the registry's token service) asks. Denials are exceptions whose message says what was missing:
 * {@code Unauthorized} (401) for no or bad credentials, {@code Forbidden} (403) for a role too weak.
 */
public interface Access {
  /**
   * The caller named by an {@code Authorization} header: {@code Bearer TOKEN} (an API or session
   * token, or the admin token) or {@code Basic user:secret} (a password or an API token). No header
   * is the anonymous principal; a bad, expired, revoked or foreign token is a 401 saying which.
   */
  Principal caller(Optional<String> authorization, String remoteAddress);

  /**
   * As {@link #caller}, on a route of the Receptor API: Basic credentials may also be the Receptor's own
   * ({@code --receptor-user}), which sign in as the Berth user of that name.
   */
  default Principal receptorCaller(Optional<String> authorization, String remoteAddress) {
    return caller(authorization, remoteAddress);
  }

  /** Checks a user's password or API token, slowing down repeated failures per user and per address. */
  Principal signIn(String user, String secret, String remoteAddress);

  /** The user a verified client certificate (a bundle) names; a 401 when that user is gone or the bundle revoked. */
  Principal certificateUser(String user, String serial);

  /** The caller's role on a resource: a repository's is the stronger of its own and its group's. Empty: not a member. */
  Optional<Role> role(Principal p, ResourceKind kind, String name);

  /** True when {@code p} may take {@code action}: administrators always, anyone may pull a public repository. */
  boolean allows(Principal p, ResourceKind kind, String name, Action action);

  /** Throws 401 (anonymous) or 403 naming the role the action needs and the one the caller has, unless {@link #allows}. */
  void require(Principal p, ResourceKind kind, String name, Action action);

  /**
   * Before creating a resource: refuses the anonymous, and (in the store-backed access) a name that
   * already has members unless the caller may take {@code action} there.
   */
  default void requireCreate(Principal p, ResourceKind kind, String name, Action action) {
    if (p.isAnonymous()) throw new BerthException.Unauthorized("sign in first: creating " + kind.word() + " " + name);
  }

  /** True when the resource has any member (a cheap check; the default does not know and says no). */
  default boolean hasMembers(ResourceKind kind, String name) {
    return false;
  }

  /** Records {@code p} as the first owner of a new resource (nothing happens when it already has members). */
  void created(Principal p, ResourceKind kind, String name);

  /** Forgets every member of a removed resource. */
  void removed(ResourceKind kind, String name);

  /** True when the repository is public (pullable by anyone, signed in or not). */
  boolean isPublic(String repository);

  /** Makes a repository public or private (private is the default). */
  void setPublic(String repository, boolean isPublic);

  /** Records one mutating call. */
  void audit(AuditEntry entry);
}
