package io.berth.manager.registry;

import io.berth.cluster.Peers;
import io.berth.cluster.wire.PullToken;
import io.berth.core.error.BerthException;
import io.berth.manager.build.Builds;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.store.StateStore;
import io.berth.core.identity.Principal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The image registry's side of the manager: the token service distribution sends docker to, the
 * {@code /v1/images} routes, and — when configured — the registry itself as a child process.
 * {@link #addApiRoutes} before the API listens, {@link #start} once its URL is known (or
 * {@link #startInBackground} and later {@link #awaitStarted}).
 */
public final class Registry implements AutoCloseable, Builds.Registry {
  /** The {@code service} (token audience) and {@code issuer} the registry is configured with. */
  public static final String SERVICE = "berth-registry";
  public static final String ISSUER = "berth";
  /** Where docker fetches tokens, under the Berth API's URL. */
  public static final String TOKEN_PATH = "/v1/registry/token";

  private final RegistryConfig config;
  private final RegistryTokens tokens;
  private final TokenEndpoint tokenEndpoint;
  private final ImagesApi images;
  private final Clock clock;
  private final DockerLogin dockerLogin;
  private final TokenGrants grants;
  private final String httpSecret;
  private RegistryProcess process;
  private CompletableFuture<Registry> starting;

  Registry(RegistryConfig config, String httpSecret, Access access, RegistryTokens tokens, TokenGrants.Repositories repositories,
           Clock clock) {
    this.config = config;
    this.httpSecret = httpSecret;
    this.tokens = tokens;
    this.clock = clock;
    this.dockerLogin = new DockerLogin(access);
    this.grants = new TokenGrants(access, repositories);
    this.tokenEndpoint = new TokenEndpoint(access, tokens, grants, clock);
    RegistryClient client = config == null ? null : new RegistryClient(config.hostPort(), tokens, clock);
    this.images = client == null ? null : new ImagesApi(access, client);
  }

  /**
   * The token service, and the registry at {@code config} (null: none runs, and {@code /v1/images} says so). The
   * signing key and the registry's HTTP secret are the cluster's, from {@code store}: every manager's registry
   * accepts every manager's tokens.
   */
  public static Registry create(RegistryConfig config, StateStore store, ClusterSecrets secrets, Access access, Clock clock) {
    RegistryTokens tokens = RegistryKeys.tokens(store, secrets.ca(), ISSUER, SERVICE, clock.instant());
    RegistryClient client = config == null ? null : new RegistryClient(config.hostPort(), tokens, clock);
    String httpSecret = config == null ? null : RegistryKeys.httpSecret(store);
    return new Registry(config, httpSecret, access, tokens, client == null ? repo -> false : client, clock);
  }

  /**
   * Starts the registry process (when configured). Its token realm is the Berth API at {@code api}
   * (port {@code apiPort}); an API on every interface is named by the registry's host, which docker
   * clients reach.
   */
  public Registry start(InetSocketAddress api, int apiPort) {
    if (config == null) return this;
    String host = api.getAddress() != null && api.getAddress().isAnyLocalAddress()
        ? config.hostPort().substring(0, config.hostPort().lastIndexOf(':')) : api.getHostString();
    process = RegistryProcess.start(config, "http://" + host + ":" + apiPort + TOKEN_PATH, SERVICE, ISSUER, tokens.ca(), httpSecret);
    return this;
  }

  /**
   * As {@link #start}, on a thread of its own: the registry takes ~0.4 s to answer, which the
   * manager spends starting its other endpoints. {@link #awaitStarted} tells how it went.
   */
  public Registry startInBackground(InetSocketAddress api, int apiPort) {
    starting = CompletableFuture.supplyAsync(() -> start(api, apiPort), task -> Thread.ofVirtual().name("registry-start").start(task));
    return this;
  }

  /** Waits for {@link #startInBackground}'s start (when there was one) and throws its failure. */
  public Registry awaitStarted() {
    if (starting == null) return this;
    try {
      return starting.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** {@code host:port} of the registry, as image references name it; empty when none runs. */
  @Override
  public Optional<String> address() {
    return Optional.ofNullable(config).map(RegistryConfig::hostPort);
  }

  /**
   * {@code GET /v1/registry/token} (it authenticates its callers itself: the API's guard lets it
   * through) and {@code /v1/images…}.
   */
  public Routes addApiRoutes(Routes r) {
    r.get(TOKEN_PATH, tokenEndpoint::issue);
    if (images != null) return images.addRoutes(r);
    Routes.Handler none = req -> {
      throw new BerthException.Unavailable("this manager runs no image registry (berth manage --registry-addr HOST:PORT; berth dev runs one)");
    };
    return r.get("/v1/images", none).get("/v1/images/{repo}/tags", none).delete("/v1/images/{repo}/tags/{tag}", none)
        .put("/v1/images/{repo}/visibility", none);
  }

  /**
   * {@code GET /v1/cluster/registry-token?image=REF} on the cluster endpoint (its guard admits only
   * nodes): a pull token for an image of this registry, so a node may run any app's image from it;
   * 204 for an image from elsewhere, which the node pulls as it would without Berth.
   */
  public Routes addClusterRoutes(Routes r) {
    return r.get("/v1/cluster/registry-token", req -> {
      String image = req.query("image").filter(s -> !s.isBlank()).orElseThrow(
          () -> new BerthException.Invalid("image: required, e.g. ?image=127.0.0.1:5000/team/app:v1"));
      ImageReference ref = ImageReference.parse(image);
      if (config == null || !ref.isFrom(config.hostPort())) return null;
      String node = req.peer().map(Peers.Peer::name).orElse("node");
      return new PullToken(config.hostPort(), ref.repository(),
          tokens.sign("node:" + node, List.of(Scope.repository(ref.repository(), "pull")), clock.instant()));
    });
  }

  /**
   * Whether {@code p} may push to {@code repository}, as a push token would grant it: pushing a new
   * repository makes {@code p} its owner (and its group's, when the group has none), as {@code docker push} does.
   */
  @Override
  public boolean claimPush(Principal p, String repository) {
    return !grants.grant(p, List.of(Scope.repository(repository, "push"))).isEmpty();
  }

  /**
   * The {@code X-Registry-Auth} value a build node's engine pushes {@code repository} with, for
   * {@code user}, valid for {@code ttl}: base64url of {@code {"registrytoken": JWT}}, as the agent's pulls.
   * Whether {@code user} may push was checked when the run began ({@link #claimPush}).
   */
  @Override
  public String pushAuth(String user, String repository, Duration ttl) {
    String jwt = tokens.sign("build:" + user, List.of(Scope.repository(repository, "pull", "push")), clock.instant(), ttl);
    String json = "{\"registrytoken\":\"" + jwt + "\"}"; // a JWT is base64url and dots: nothing to escape
    return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code docker login} against the Docker endpoint: Berth's users. */
  public DockerLogin dockerLogin() {
    return dockerLogin;
  }

  @Override
  public void close() {
    if (starting != null) starting.exceptionally(failed -> this).join(); // a process that is still starting is closed too
    if (process != null) process.close();
  }
}
