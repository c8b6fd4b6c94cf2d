package io.berth.manager.registry;

import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import java.time.Clock;

/**
 * The image registry's side of the manager: the token service distribution sends docker to.
 * {@link #addApiRoutes} adds its routes to the Berth API.
 */
public final class Registry implements AutoCloseable {
  /** The {@code service} (token audience) and {@code issuer} the registry is configured with. */
  public static final String SERVICE = "berth-registry";
  public static final String ISSUER = "berth";

  private final TokenEndpoint tokenEndpoint;

  Registry(Access access, RegistryTokens tokens, TokenGrants.Repositories repositories, Clock clock) {
    this.tokenEndpoint = new TokenEndpoint(access, tokens, new TokenGrants(access, repositories), clock);
  }

  /** The token service alone, signing under a fresh key certified by the cluster CA. */
  public static Registry tokenService(ClusterSecrets secrets, Access access, Clock clock) {
    return new Registry(access, RegistryTokens.create(secrets.ca(), ISSUER, SERVICE, clock.instant()), repo -> false, clock);
  }

  /**
   * {@code GET /v1/registry/token} (it authenticates its callers itself: the API's guard lets it
   * through).
   */
  public Routes addApiRoutes(Routes r) {
    return r.get(TOKEN_PATH, tokenEndpoint::issue);
  }

  /** Where docker fetches tokens, under the Berth API's URL. */
  public static final String TOKEN_PATH = "/v1/registry/token";

  @Override
  public void close() {}
}
