package io.berth.manager.identity;

import static io.berth.manager.identity.StoreAccess.requireAdmin;
import static io.berth.manager.identity.StoreAccess.requireSignedIn;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The identity API's operations on users, tokens and members, each checking its caller first: the
 * rules that keep a cluster administrable live here — user admin and a resource's last owner
 * cannot go, only an owner makes or unmakes owners, a token lives at most 366 days. A change that could
 * leave a resource without an owner checks and writes holding one store lock ({@link #OWNERS_LOCK}) and
 * counts the owners in the store, so two managers removing a resource's last two owners at once cannot
 * both succeed.
 */
public final class Accounts {
  /** How long a {@code berth login} session lasts. */
  public static final Duration SESSION_TTL = Duration.ofDays(7);
  public static final Duration MAX_TOKEN_TTL = Duration.ofDays(366);
  static final String OWNERS_LOCK = "/berth/locks/owners";
  private final Access access;
  private final Users users;
  private final Tokens tokens;
  private final Members members;
  private final AuditLog audit;
  private final StoreLock ownersLock;

  Accounts(Access access, Users users, Tokens tokens, Members members, AuditLog audit, StoreLock ownersLock) {
    this.access = access;
    this.users = users;
    this.tokens = tokens;
    this.members = members;
    this.audit = audit;
    this.ownersLock = ownersLock;
  }

  /** Signs a user in with a password and makes a session token ({@code berth login}). */
  public Tokens.Issued login(String user, String password, String remoteAddress) {
    Principal p = access.signIn(user, password, remoteAddress);
    return tokens.issue(p.user(), "login", Tokens.SESSION, SESSION_TTL);
  }

  public Users.User createUser(Principal by, String name, String password, boolean admin) {
    return createUser(by, name, password, admin, null);
  }

  /** The same, with the user's e-mail address (null: none), where alert notifications reach them. */
  public Users.User createUser(Principal by, String name, String password, boolean admin, String email) {
    requireAdmin(by, "creating users");
    return users.create(name, password, admin, by.user(), email);
  }

  /** A user changes their own e-mail address; an administrator anyone's. Null or blank clears it. */
  public void setEmail(Principal by, String name, String email) {
    requireSignedIn(by, "changing an e-mail address");
    if (!by.admin() && !by.user().equals(name)) {
      throw new BerthException.Forbidden(by.user() + " may change only their own e-mail address; " + name + "'s is for administrators");
    }
    users.setEmail(name, email);
  }

  /** Removes a user, their tokens and memberships; refused for the first administrator and for a resource's last owner. */
  public void removeUser(Principal by, String name) {
    requireAdmin(by, "removing users");
    users.require(name);
    if (name.equals(Users.ADMIN)) {
      throw new BerthException.Conflict("LastAdmin", "user admin cannot be removed: the cluster's admin token signs in as admin");
    }
    ownersLock.holding(() -> {
      Map<Members.Resource, Role> memberships = members.storedMembershipsOf(name);
      List<String> orphans = memberships.entrySet().stream()
          .filter(e -> e.getValue() == Role.OWNER && onlyOwner(e.getKey().kind(), e.getKey().name(), name))
          .map(e -> e.getKey().toString()).sorted().toList();
      if (!orphans.isEmpty()) {
        throw new BerthException.Conflict("LastOwner", name + " is the last owner of " + String.join(", ", orphans)
            + ": add another owner first (berth member add … USER owner)");
      }
      tokens.revokeAll(name);
      memberships.keySet().forEach(r -> members.remove(r.kind(), r.name(), name));
      members.removeUser(name); // and any the mirror knows of that the store no longer holds
      users.delete(name);
      return null;
    });
  }

  /** A user changes their own password; an administrator anyone's. */
  public void setPassword(Principal by, String name, String password) {
    requireSignedIn(by, "changing a password");
    if (!by.admin() && !by.user().equals(name)) {
      throw new BerthException.Forbidden(by.user() + " may change only their own password; " + name + "'s is for administrators");
    }
    users.setPassword(name, password);
  }

  public Tokens.Issued issueToken(Principal by, String name, Duration ttl) {
    requireSignedIn(by, "making a token");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
      throw new BerthException.Invalid("a token expires after more than 0 and at most 366 days: " + ttl);
    }
    users.require(by.user());
    return tokens.issue(by.user(), name == null || name.isBlank() ? "token" : name, Tokens.API, ttl);
  }

  /** The caller's tokens; an administrator may ask for another user's, or everyone's ({@code user} "*"). */
  public List<Tokens.View> listTokens(Principal by, String user) {
    requireSignedIn(by, "listing tokens");
    String whose = user == null ? by.user() : user;
    if (!whose.equals(by.user())) requireAdmin(by, "listing other users' tokens");
    return tokens.list(whose.equals("*") ? null : whose).stream().map(Tokens.Token::view).toList();
  }

  public void revokeToken(Principal by, String id) {
    requireSignedIn(by, "revoking a token");
    Tokens.Token t = tokens.find(id).orElseThrow(() -> new BerthException.NotFound("TokenNotFound", "no such token: " + id));
    if (!t.user().equals(by.user())) {
      if (!by.admin()) throw new BerthException.NotFound("TokenNotFound", "no such token: " + id);
    }
    tokens.revoke(t);
  }

  public List<Members.View> listMembers(Principal by, ResourceKind kind, String name) {
    access.require(by, kind, name, Action.VIEW);
    return members.list(kind, name);
  }

  /**
   * Gives {@code user} a role on a resource: the caller needs {@code members} there, and only an
   * owner gives or takes the owner role; the last owner cannot step down.
   */
  public void setMember(Principal by, ResourceKind kind, String name, String user, Role role) {
    access.require(by, kind, name, Action.MEMBERS);
    users.require(user);
    Optional<Role> current = members.role(kind, name, user);
    if ((role == Role.OWNER || current.orElse(null) == Role.OWNER) && !by.admin()
        && access.role(by, kind, name).orElse(null) != Role.OWNER) {
      throw new BerthException.Forbidden("only an owner of " + kind.word() + " " + name + " gives or takes the owner role");
    }
    if (current.orElse(null) != Role.OWNER || role == Role.OWNER) {
      members.put(kind, name, user, role, by.user());
      return;
    }
    ownersLock.holding(() -> {
      checkNotLastOwner(kind, name, user);
      members.put(kind, name, user, role, by.user());
      return null;
    });
  }

  public void removeMember(Principal by, ResourceKind kind, String name, String user) {
    access.require(by, kind, name, Action.MEMBERS);
    Optional<Role> current = members.role(kind, name, user);
    if (current.isEmpty()) {
      throw new BerthException.NotFound("MemberNotFound", user + " is not a member of " + kind.word() + " " + name);
    }
    if (current.get() == Role.OWNER) {
      if (!by.admin() && access.role(by, kind, name).orElse(null) != Role.OWNER) {
        throw new BerthException.Forbidden("only an owner of " + kind.word() + " " + name + " removes an owner");
      }
      ownersLock.holding(() -> {
        checkNotLastOwner(kind, name, user);
        return members.remove(kind, name, user);
      });
      return;
    }
    members.remove(kind, name, user);
  }

  /** Under the owners lock: the store's owners, not the mirror's, which may lag another manager. */
  private boolean onlyOwner(ResourceKind kind, String name, String user) {
    return members.storedOwners(kind, name).stream().allMatch(user::equals);
  }

  private void checkNotLastOwner(ResourceKind kind, String name, String user) {
    if (onlyOwner(kind, name, user)) {
      throw new BerthException.Conflict("LastOwner", user + " is the last owner of " + kind.word() + " " + name
          + ": make someone else owner first");
    }
  }

  public List<AuditEntry> readAudit(Principal by, String user, Instant since, int limit) {
    requireAdmin(by, "the audit log");
    return audit.read(user, since, limit);
  }
}
