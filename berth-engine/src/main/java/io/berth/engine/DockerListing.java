package io.berth.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/json}, read with Jackson's streaming parser for a {@link ContainerSummary}'s
 * fields only. An agent lists its engine on every pass of its loop, many times a second during a burst
 * of starts: docker-java's command and its full models (ports, mounts, networks, host config of every
 * container, then copied into ours) cost a fifth of a warm agent's CPU there, on cores the engine needs.
 */
final class DockerListing {
  private static final JsonFactory JSON = DockerJson.MAPPER.getFactory();
  private final DockerHttpClient http;
  private final DockerErrors errors;

  DockerListing(DockerHttpClient http, DockerErrors errors) {
    this.http = http;
    this.errors = errors;
  }

  /** The containers (stopped ones too when {@code all}) carrying every label of {@code labels}; an empty value: the label at all. */
  List<ContainerSummary> list(boolean all, Map<String, String> labels) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
        .path(path(all, labels)).build();
    try (var response = errors.call(() -> http.execute(request)); InputStream body = response.getBody()) {
      if (response.getStatusCode() != 200) {
        throw DockerErrors.answered(response.getStatusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      return parse(body);
    } catch (IOException e) {
      throw errors.unreachable(e);
    }
  }

  static String path(boolean all, Map<String, String> labels) {
    StringBuilder path = new StringBuilder("/containers/json?all=").append(all ? "1" : "0");
    if (!labels.isEmpty()) {
      List<String> terms = new ArrayList<>();
      labels.forEach((k, v) -> terms.add(v == null || v.isEmpty() ? k : k + "=" + v));
      String filters;
      try {
        filters = DockerJson.MAPPER.writeValueAsString(Map.of("label", terms));
      } catch (IOException e) {
        throw new IllegalStateException(e); // a map of strings always writes
      }
      path.append("&filters=").append(URLEncoder.encode(filters, StandardCharsets.UTF_8));
    }
    return path.toString();
  }

  /** The listing's rows; any field but the summary's is skipped unread, whatever it holds. */
  static List<ContainerSummary> parse(InputStream json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) throw new IOException("the engine's container list is not a JSON array");
      List<ContainerSummary> out = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.START_OBJECT) throw new IOException("the engine's container list holds a " + t + ", not a container");
        out.add(summary(p));
      }
      return out;
    }
  }

  private static ContainerSummary summary(JsonParser p) throws IOException {
    String id = null;
    String image = null;
    String state = null;
    String status = null;
    List<String> names = List.of();
    Map<String, String> labels = Map.of();
    long created = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "Id" -> id = p.getValueAsString();
        case "Image" -> image = p.getValueAsString();
        case "State" -> state = p.getValueAsString();
        case "Status" -> status = p.getValueAsString();
        case "Created" -> created = p.getValueAsLong();
        case "Names" -> names = value == JsonToken.START_ARRAY ? strings(p) : List.of();
        case "Labels" -> labels = value == JsonToken.START_OBJECT ? labels(p) : Map.of();
        default -> p.skipChildren();
      }
    }
    return new ContainerSummary(id, names, image, state, status, labels, created);
  }

  private static List<String> strings(JsonParser p) throws IOException {
    List<String> out = new ArrayList<>(1);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.VALUE_STRING) out.add(p.getText());
      else p.skipChildren();
    }
    return out;
  }

  private static Map<String, String> labels(JsonParser p) throws IOException {
    Map<String, String> out = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (p.nextToken() == JsonToken.VALUE_STRING) out.put(key, p.getText());
      else p.skipChildren();
    }
    return out;
  }
}
