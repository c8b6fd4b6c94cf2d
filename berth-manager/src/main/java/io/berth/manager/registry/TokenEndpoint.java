package io.berth.manager.registry;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.manager.http.Request;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/registry/token}: the realm the registry sends docker to. Basic auth is a user and
 * their password or an API token ({@link Access#signIn}); a bearer token is checked as on the rest of
 * the API; no credentials are the anonymous caller, who may only pull public repositories. Wrong
 * credentials are a 401, which is how {@code docker login} fails; a scope the caller may not have
 * is left out of the token, and the registry then refuses the call.
 */
final class TokenEndpoint {
  private final Access access;
  private final RegistryTokens tokens;
  private final TokenGrants grants;
  private final Clock clock;

  TokenEndpoint(Access access, RegistryTokens tokens, TokenGrants grants, Clock clock) {
    this.access = access;
    this.tokens = tokens;
    this.grants = grants;
    this.clock = clock;
  }

  /** The answer docker expects; {@code token} and {@code access_token} carry the same JWT. */
  record Token(String token, String accessToken, long expiresIn, Instant issuedAt) {}

  Token issue(Request r) {
    Optional<String> service = r.query("service");
    if (service.isPresent() && !service.get().equals(tokens.service())) {
      throw new BerthException.Invalid("UnknownService", "this token service signs for the registry '" + tokens.service()
          + "', not '" + service.get() + "'");
    }
    Principal p = caller(r);
    List<Scope> granted = grants.grant(p, Scope.parseAll(r.queries("scope")));
    Instant now = clock.instant();
    String jwt = tokens.sign(p.user(), granted, now);
    if (granted.stream().anyMatch(s -> s.actions().contains("push") || s.actions().contains("delete") || s.actions().contains("*"))) {
      access.audit(new AuditEntry(now, p.user(), p.via(), r.remoteAddress(), "registry token",
          granted.stream().map(Scope::toString).collect(Collectors.joining(" ")), 200, "ok"));
    }
    return new Token(jwt, jwt, RegistryTokens.TTL.toSeconds(), now);
  }

  private Principal caller(Request r) {
    Optional<String> auth = r.header("Authorization");
    if (auth.isEmpty() || auth.get().isBlank()) return Principal.anonymous();
    String h = auth.get().trim();
    if (!h.regionMatches(true, 0, "Basic ", 0, 6)) return access.caller(auth, r.remoteAddress());
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Unauthorized("malformed Basic credentials: expected base64 of USER:PASSWORD");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) throw new BerthException.Unauthorized("malformed Basic credentials: expected base64 of USER:PASSWORD");
    return access.signIn(decoded.substring(0, colon), decoded.substring(colon + 1), r.remoteAddress());
  }
}
