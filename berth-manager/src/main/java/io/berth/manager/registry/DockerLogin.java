package io.berth.manager.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.engine.DockerJson;
import io.berth.manager.identity.Access;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /auth} on the Docker endpoint: what {@code docker login} sends when DOCKER_HOST is the
 * manager. It checks a Berth user's password or API token ({@link Access#signIn}) and answers as
 * dockerd does; wrong credentials are a 401 with Docker's {@code {"message"}}. The manager does not
 * pass logins on to other registries: the credentials checked are always Berth's.
 */
public final class DockerLogin {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final Access access;

  DockerLogin(Access access) {
    this.access = access;
  }

  /** Docker's {@code AuthResponse} for a good login; throws 400 for a malformed body and 401 for wrong credentials. */
  public Map<String, String> login(byte[] body, String remoteAddress) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new BerthException.Invalid("malformed login: expected {\"username\", \"password\"} as JSON");
    }
    String user = n == null ? "" : n.path("username").asText("");
    String password = n == null ? "" : n.path("password").asText("");
    if (user.isEmpty() || password.isEmpty()) {
      throw new BerthException.Unauthorized("login needs a Berth user name and password (or API token): docker login -u USER");
    }
    access.signIn(user, password, remoteAddress);
    return Map.of("Status", "Login Succeeded", "IdentityToken", "");
  }
}
