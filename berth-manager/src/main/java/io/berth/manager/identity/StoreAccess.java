package io.berth.manager.identity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * {@link Access} over the store: users with bcrypt passwords, API and session tokens kept as
 * hashes, members mirrored in memory, repository visibility and the audit log. Every manager of a
 * cluster builds one over the shared store, so they all agree.
 */
public final class StoreAccess implements Access, AutoCloseable {
  private final StateStore store;
  private final Clock clock;
  private final ClusterSecrets secrets;
  private final Users users;
  private final Tokens tokens;
  private final Members members;
  private final AuditLog audit;
  private final SignInThrottle throttle;
  private final Accounts accounts;
  private final Set<String> publicRepos = ConcurrentHashMap.newKeySet();
  private final Watch visibilityWatch;
  private volatile ReceptorLogin receptor;

  /** A visibility record: {@code /berth/repos/{name}}. */
  record Repo(boolean isPublic) {}

  public StoreAccess(StateStore store, Clock clock, ClusterSecrets secrets, int bcryptCost) {
    this.store = store;
    this.clock = clock;
    this.secrets = secrets;
    this.users = new Users(store, clock, new Passwords(bcryptCost));
    this.tokens = new Tokens(store, clock, clusterTag(secrets));
    this.members = new Members(store, clock);
    this.audit = new AuditLog(store);
    this.throttle = new SignInThrottle(store, clock);
    this.accounts = new Accounts(this, users, tokens, members, audit, new StoreLock(store, Accounts.OWNERS_LOCK,
        "manager-" + Long.toHexString(System.nanoTime()), Duration.ofSeconds(5), Duration.ofSeconds(30), "owners lock"));
    Page repos = store.range(Keys.REPOS, 0);
    for (KeyValue kv : repos.items()) visibility(kv.key(), Json.read(kv.value(), Repo.class).isPublic());
    this.visibilityWatch = store.watch(Keys.REPOS, repos.revision() + 1, e -> visibility(e.kv().key(),
        e.type() == WatchEvent.Type.PUT && Json.read(e.kv().value(), Repo.class).isPublic()));
  }

  public StoreAccess(StateStore store, Clock clock, ClusterSecrets secrets) {
    this(store, clock, secrets, BCRYPT_COST);
  }

  /** The bcrypt cost of a manager; tests lower it with {@code -Dberth.bcrypt.cost}. */
  public static final int BCRYPT_COST = Passwords.DEFAULT_COST;

  /** The first 8 hex digits of the cluster CA's fingerprint: in every token, so another cluster's token is told apart. */
  static String clusterTag(ClusterSecrets secrets) {
    String fp = secrets.ca().fingerprint().replaceAll("[^0-9a-fA-F]", "").toLowerCase(Locale.ROOT);
    return fp.substring(0, Math.min(8, fp.length()));
  }

  public Users users() {
    return users;
  }

  public Members members() {
    return members;
  }

  public AuditLog auditLog() {
    return audit;
  }

  /** Managing users, tokens and members: the identity API's operations. */
  public Accounts accounts() {
    return accounts;
  }

  // ---- who calls ----

  /** Accepts {@code user} with {@code password} as Basic credentials on the Receptor's routes ({@code --receptor-user}; null: none). */
  public StoreAccess receptorLogin(String user, String password) {
    this.receptor = user == null ? null : new ReceptorLogin(user, password);
    return this;
  }

  @Override
  public Principal caller(Optional<String> authorization, String remoteAddress) {
    return caller(authorization, remoteAddress, false);
  }

  @Override
  public Principal receptorCaller(Optional<String> authorization, String remoteAddress) {
    return caller(authorization, remoteAddress, true);
  }

  private Principal caller(Optional<String> authorization, String remoteAddress, boolean receptorRoute) {
    if (authorization.isEmpty() || authorization.get().isBlank()) return Principal.anonymous();
    String auth = authorization.get().trim();
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) return bearer(auth.substring(7).trim());
    if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      BasicCredentials basic = BasicCredentials.decode(auth.substring(6));
      return signIn(basic.user(), basic.secret(), remoteAddress, receptorRoute);
    }
    throw new BerthException.Unauthorized("unsupported Authorization scheme: send 'Bearer TOKEN' or Basic user:password");
  }

  private Principal bearer(String token) {
    if (secrets.isAdminToken(token)) return Principal.adminToken();
    Tokens.Token t = tokens.verify(token);
    Users.User u = users.find(t.user()).orElseThrow(() -> new BerthException.Unauthorized("invalid token: its user " + t.user() + " was removed"));
    return new Principal(u.name(), u.admin(), "token");
  }

  @Override
  public Principal signIn(String user, String secret, String remoteAddress) {
    return signIn(user, secret, remoteAddress, false);
  }

  /** Throttled as every sign-in: the Receptor's password is guessed no faster than a user's. */
  private Principal signIn(String user, String secret, String remoteAddress, boolean receptorRoute) {
    String name = user == null ? "" : user.trim();
    throttle.check(name, remoteAddress);
    ReceptorLogin r = receptor;
    Optional<Principal> p = receptorRoute && r != null && r.matches(name, secret == null ? "" : secret)
        ? Optional.of(r.principal(users)) : check(name, secret == null ? "" : secret);
    if (p.isEmpty()) {
      throttle.failed(name, remoteAddress);
      throw new BerthException.Unauthorized("wrong user name or password");
    }
    throttle.succeeded(name, remoteAddress);
    return p.get();
  }

  private Optional<Principal> check(String name, String secret) {
    if (name.equals(Users.ADMIN) && secrets.isAdminToken(secret)) return Optional.of(Principal.adminToken());
    Optional<Users.User> u = users.find(name);
    if (u.isEmpty()) return Optional.empty();
    if (secret.startsWith("bt_")) {
      try {
        Tokens.Token t = tokens.verify(secret);
        return t.user().equals(name) ? Optional.of(new Principal(name, u.get().admin(), "token")) : Optional.empty();
      } catch (BerthException.Unauthorized bad) {
        return Optional.empty();
      }
    }
    return users.passwordMatches(u.get(), secret) ? Optional.of(new Principal(name, u.get().admin(), "password")) : Optional.empty();
  }

  @Override
  public Principal certificateUser(String user, String serial) {
    Users.User u = users.find(user).orElseThrow(() -> new BerthException.Unauthorized(
        "the client certificate names user " + user + ", who no longer exists"));
    return new Principal(u.name(), u.admin(), "cert");
  }

  // ---- what they may do ----

  @Override
  public Optional<Role> role(Principal p, ResourceKind kind, String name) {
    if (p.isAnonymous()) return Optional.empty();
    Role own = members.role(kind, name, p.user()).orElse(null);
    if (kind == ResourceKind.REPO) {
      String group = groupOf(name);
      if (group != null) own = Role.max(own, members.role(ResourceKind.GROUP, group, p.user()).orElse(null));
    }
    return Optional.ofNullable(own);
  }

  /** The group of a repository {@code team/app} is {@code team}; a name without '/' has none. */
  public static String groupOf(String repository) {
    int slash = repository.indexOf('/');
    return slash < 0 ? null : repository.substring(0, slash);
  }

  @Override
  public boolean allows(Principal p, ResourceKind kind, String name, Action action) {
    if (Permissions.least(kind, action).isEmpty()) return false;
    if (p.admin()) return true;
    if (kind == ResourceKind.REPO && (action == Action.PULL || action == Action.VIEW) && isPublic(name)) return true;
    return Permissions.allows(kind, role(p, kind, name).orElse(null), action);
  }

  @Override
  public void require(Principal p, ResourceKind kind, String name, Action action) {
    if (allows(p, kind, name, action)) return;
    Optional<Role> least = Permissions.least(kind, action);
    if (least.isEmpty()) {
      throw new BerthException.Forbidden(action.word() + " is not an action on a " + kind.word());
    }
    String needs = action.word() + " needs " + rolesFrom(least.get());
    if (p.isAnonymous()) {
      throw new BerthException.Unauthorized("sign in first: " + needs + " on " + kind.word() + " " + name);
    }
    Optional<Role> has = role(p, kind, name);
    throw new BerthException.Forbidden(has.isEmpty()
        ? p.user() + " is not a member of " + kind.word() + " " + name + " (" + needs + ")"
        : p.user() + " is " + article(has.get()) + " of " + kind.word() + " " + name + "; " + needs);
  }

  /** "master or owner": the roles from {@code least} up. */
  static String rolesFrom(Role least) {
    return Arrays.stream(Role.values()).filter(r -> r.atLeast(least))
        .sorted(Comparator.reverseOrder()).map(Role::word).collect(Collectors.joining(" or "));
  }

  private static String article(Role r) {
    return (r == Role.OWNER ? "an " : "a ") + r.word();
  }

  /** Administrators only: a 403 for anyone else, a 401 for the anonymous. */
  public static void requireAdmin(Principal p, String what) {
    if (p.admin()) return;
    if (p.isAnonymous()) throw new BerthException.Unauthorized("sign in first: " + what + " is for administrators");
    throw new BerthException.Forbidden(what + " is for administrators; " + p.user() + " is not one");
  }

  /** Refuses the anonymous: creating a resource or reading one's own settings needs a signed-in user. */
  public static void requireSignedIn(Principal p, String what) {
    if (p.isAnonymous()) {
      throw new BerthException.Unauthorized("missing credentials: " + what
          + " needs 'Authorization: Bearer TOKEN' (berth login, or the admin token in the manager's data dir, admin.token)");
    }
  }

  /**
   * Before creating a resource: a name nobody belongs to may be taken by any signed-in user (who
   * becomes its owner); one that already has members (an administrator added them first) needs
   * {@code action} there.
   */
  @Override
  public void requireCreate(Principal p, ResourceKind kind, String name, Action action) {
    requireSignedIn(p, "creating " + kind.word() + " " + name);
    if (members.hasMembers(kind, name)) require(p, kind, name, action);
  }

  @Override
  public boolean hasMembers(ResourceKind kind, String name) {
    return members.hasMembers(kind, name);
  }

  @Override
  public void created(Principal p, ResourceKind kind, String name) {
    if (!p.isAnonymous()) members.putFirstOwner(kind, name, p.user());
  }

  @Override
  public void removed(ResourceKind kind, String name) {
    members.removeAll(kind, name);
  }

  @Override
  public boolean isPublic(String repository) {
    return publicRepos.contains(Keys.segment(repository));
  }

  @Override
  public void setPublic(String repository, boolean isPublic) {
    store.put(Keys.REPOS + Keys.segment(repository), Json.bytes(new Repo(isPublic)));
    visibility(Keys.REPOS + Keys.segment(repository), isPublic);
  }

  /** Mirrors one visibility record (every pull asks, so it is a set lookup, as members are). */
  private void visibility(String key, boolean isPublic) {
    String segment = key.substring(Keys.REPOS.length());
    if (isPublic) publicRepos.add(segment); else publicRepos.remove(segment);
  }

  @Override
  public void audit(AuditEntry entry) {
    audit.record(entry);
  }

  @Override
  public void close() {
    visibilityWatch.close();
    members.close();
  }
}
