package io.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.berth.cluster.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * An app manifest as {@code berth app deploy} sends it. Only what the CLI needs is checked here
 * (readable YAML, a mapping, a {@code name}); the manager decodes and validates the rest, naming
 * each bad field, and fills a partial manifest ({@code name} and {@code image} only) from the
 * app's previous version, so completeness is deliberately not checked.
 */
record AppManifestText(String name, String image, byte[] body, String contentType) {
  // YAML wants each key once; Jackson would otherwise keep the last of two.
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * Checks {@code text} read from {@code file} ("-" for stdin) and, when {@code image} is given,
   * sets its {@code image:} field. The text is sent as written unless the image is replaced; then
   * the manifest is sent as JSON (the manager takes either), since YAML cannot be re-emitted with
   * its comments and layout.
   */
  static AppManifestText of(String file, byte[] text, String image) {
    String label = file.equals("-") ? "stdin" : file;
    String contentType = contentType(text);
    JsonNode tree = parse(label, text, contentType.equals("application/json"));
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new IllegalArgumentException(label + ": empty; an app manifest has at least name: and image:");
    }
    if (!(tree instanceof ObjectNode fields)) {
      throw new IllegalArgumentException(label + ": an app manifest is a mapping of fields (name:, image: …), not "
          + (tree.isArray() ? "a list" : "a single value"));
    }
    JsonNode name = fields.path("name");
    if (name.isMissingNode() || name.isNull() || name.isTextual() && name.asText().isBlank()) {
      throw new IllegalArgumentException(label + ": name: required");
    }
    if (!name.isTextual()) throw new IllegalArgumentException(label + ": name: expected text, got " + name);
    if (image == null) return new AppManifestText(name.asText(), fields.path("image").asText(null), text, contentType);
    if (image.isBlank()) throw new IllegalArgumentException("--image: empty; give an image such as berth/busybox:2");
    fields.put("image", image);
    return new AppManifestText(name.asText(), image, Json.bytes(fields), "application/json");
  }

  private static JsonNode parse(String label, byte[] text, boolean json) {
    try {
      // JSON is YAML too, but JSON may indent with tabs, which YAML refuses.
      return json ? Json.MAPPER.readTree(text) : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      // SnakeYAML's own message spans several lines with a caret under the column; keep its problem and mark.
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        throw new IllegalArgumentException(label + ": not valid YAML: line " + (m.getProblemMark().getLine() + 1)
            + ", column " + (m.getProblemMark().getColumn() + 1) + ": " + m.getProblem());
      }
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
      throw new IllegalArgumentException(label + ": not valid " + (json ? "JSON" : "YAML") + ": " + where + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new IllegalArgumentException(label + ": cannot read it: " + e.getMessage());
    }
  }

  /** A manifest written as JSON (it starts with a brace) is labelled and read as JSON. */
  private static String contentType(byte[] text) {
    return new String(text, StandardCharsets.UTF_8).stripLeading().startsWith("{") ? "application/json" : "application/yaml";
  }
}
