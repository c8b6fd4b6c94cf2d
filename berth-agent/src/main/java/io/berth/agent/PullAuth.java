package io.berth.agent;

import io.berth.agent.work.RegistryAuth;
import io.berth.cluster.wire.PullToken;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the manager, over the cluster endpoint (the node's certificate is its identity), for a
 * pull token for each image it is about to pull, and hands it to the engine as docker 20.10 takes
 * one: {@code X-Registry-Auth} = base64url of {@code {"registrytoken": JWT}}. An image not from
 * Berth's registry gets none (204); a manager that cannot be asked means a pull without.
 */
final class PullAuth implements RegistryAuth {
  private static final Logger log = LoggerFactory.getLogger(PullAuth.class);
  private final ManagerClient manager;

  PullAuth(ManagerClient manager) {
    this.manager = manager;
  }

  @Override
  public String forImage(String image) {
    PullToken t;
    try {
      t = manager.get("/v1/cluster/registry-token?image=" + URLEncoder.encode(image, StandardCharsets.UTF_8), PullToken.class,
          Duration.ofSeconds(5));
    } catch (IOException | RuntimeException e) {
      log.warn("registry-token-unavailable image={}: {} (pulling without)", image, Agent.describe(e));
      return null;
    }
    return t == null ? null : header(t.token());
  }

  static String header(String jwt) {
    String json = "{\"registrytoken\":\"" + jwt + "\"}"; // a JWT is base64url and dots: nothing to escape
    return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
