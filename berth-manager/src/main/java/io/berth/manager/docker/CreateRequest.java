package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.Ownership;
import java.io.IOException;
import java.util.Map;

/**
 * A {@code POST /containers/create} read once: its JSON body, the name asked for and the query passed
 * on to the node. {@link CreateRules} check it against the caller, then {@link Creator} places it.
 */
record CreateRequest(ObjectNode body, String name, String query) {
  private static final ObjectMapper JSON = DockerJson.MAPPER;

  /** Reads the request; a body that is not a JSON object is a 400 saying why. */
  static CreateRequest of(Exchange ex) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(ex.body());
    } catch (IOException e) {
      throw new BerthException.Invalid("invalid JSON in the create request: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(parsed instanceof ObjectNode body)) throw new BerthException.Invalid("the create request must be a JSON object");
    return new CreateRequest(body, ex.queryParam("name"), ex.query());
  }

  /** The image asked for, or "". */
  String image() {
    return body.path("Image").asText("");
  }

  /** {@code HostConfig}: ports, links, resources and what of the host the container would get. */
  JsonNode host() {
    return body.path("HostConfig");
  }

  /** The labels asked for, as given. */
  Map<String, String> labels() {
    return Ownership.labels(body);
  }
}
