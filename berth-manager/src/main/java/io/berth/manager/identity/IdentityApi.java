package io.berth.manager.identity;

import io.berth.core.Durations;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The identity routes of the Berth API: sign-in, users, tokens, members and the audit log (docs/identity.md). */
public final class IdentityApi {
  private final StoreAccess access;

  public IdentityApi(StoreAccess access) {
    this.access = access;
  }

  record Login(String user, String password) {}

  record NewUser(String name, String password, Boolean admin, String email) {}

  record Email(String email) {}

  record Password(String password) {}

  record NewToken(String name, String expiresIn) {}

  record Membership(String role) {}

  record WhoAmI(String user, boolean admin, String via, List<Belongs> memberships) {}

  /** One resource the caller belongs to, with the actions their role allows there (the console offers only those). */
  record Belongs(String kind, String name, String role, List<String> actions) {}

  record LoggedIn(String token, String user, boolean admin, Instant expiresAt) {}

  public Routes addRoutes(Routes routes) {
    return routes
        .post("/v1/login", this::login)
        .get("/v1/whoami", r -> {
          Principal p = r.principal();
          StoreAccess.requireSignedIn(p, "whoami");
          return new WhoAmI(p.user(), p.admin(), p.via(), memberships(p));
        })
        .get("/v1/users", r -> {
          StoreAccess.requireAdmin(r.principal(), "listing users");
          return access.users().list().stream().map(Users.User::view).toList();
        })
        .post("/v1/users", r -> {
          NewUser u = r.body(NewUser.class);
          return access.accounts().createUser(r.principal(), u.name(), u.password(), Boolean.TRUE.equals(u.admin()), u.email()).view();
        })
        .delete("/v1/users/{name}", r -> {
          access.accounts().removeUser(r.principal(), r.param("name"));
          return null;
        })
        .put("/v1/users/{name}/password", r -> {
          access.accounts().setPassword(r.principal(), r.param("name"), r.body(Password.class).password());
          return null;
        })
        .put("/v1/users/{name}/email", r -> {
          access.accounts().setEmail(r.principal(), r.param("name"), r.body(Email.class).email());
          return access.users().require(r.param("name")).view();
        })
        .post("/v1/tokens", r -> {
          NewToken t = r.body(NewToken.class);
          return access.accounts().issueToken(r.principal(), t.name(), ttl(t.expiresIn()));
        })
        .get("/v1/tokens", r -> access.accounts().listTokens(r.principal(), r.query("user").orElse(null)))
        .delete("/v1/tokens/{id}", r -> {
          access.accounts().revokeToken(r.principal(), r.param("id"));
          return null;
        })
        .get("/v1/members/{kind}/{name}", r -> access.accounts().listMembers(r.principal(), ResourceKind.parse(r.param("kind")), r.param("name")))
        .put("/v1/members/{kind}/{name}/{user}", r -> {
          Membership m = r.body(Membership.class);
          access.accounts().setMember(r.principal(), ResourceKind.parse(r.param("kind")), r.param("name"), r.param("user"), Role.parse(m.role()));
          return Map.of("user", r.param("user"), "role", Role.parse(m.role()).word());
        })
        .delete("/v1/members/{kind}/{name}/{user}", r -> {
          access.accounts().removeMember(r.principal(), ResourceKind.parse(r.param("kind")), r.param("name"), r.param("user"));
          return null;
        })
        .get("/v1/audit", r -> access.accounts().readAudit(r.principal(), r.query("user").orElse(null),
            r.query("since").map(IdentityApi::since).orElse(null), limit(r)));
  }

  /** The caller's memberships, sorted by kind and name; an administrator's too (who may do everything anyway). */
  private List<Belongs> memberships(Principal p) {
    List<Belongs> out = new ArrayList<>();
    access.members().membershipsOf(p.user()).forEach((res, role) -> out.add(new Belongs(res.kind().word(), res.name(), role.word(),
        Permissions.of(res.kind()).keySet().stream()
            .filter(a -> Permissions.allows(res.kind(), role, a))
            .map(Action::word).toList())));
    out.sort(Comparator.comparing(Belongs::kind).thenComparing(Belongs::name));
    return out;
  }

  private Object login(Request r) throws IOException {
    Login l = r.body(Login.class);
    if (l.user() == null || l.password() == null) throw new BerthException.Invalid("a sign-in needs \"user\" and \"password\"");
    r.target(l.user());
    Tokens.Issued t = access.accounts().login(l.user(), l.password(), r.remoteAddress());
    boolean admin = access.users().find(t.user()).map(Users.User::admin).orElse(false);
    r.principal(new Principal(t.user(), admin, "password"));
    return new LoggedIn(t.token(), t.user(), admin, t.expiresAt());
  }

  /** "30d", "12h", "90m": a token's lifetime (default 30 days). */
  static Duration ttl(String text) {
    if (text == null || text.isBlank()) return Duration.ofDays(30);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid("expires_in must be a duration such as 30d, 12h or 90m: " + text);
    }
  }

  /** An instant (2026-12-01T10:00:00Z) or a duration back from now (1h, 7d). */
  static Instant since(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException notInstant) {
      return Instant.now().minus(ttl(text));
    }
  }

  static int limit(Request r) {
    String s = r.query("limit").orElse("100");
    try {
      int n = Integer.parseInt(s);
      if (n < 1 || n > 10_000) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("limit must be a number from 1 to 10000: " + s);
    }
  }
}
