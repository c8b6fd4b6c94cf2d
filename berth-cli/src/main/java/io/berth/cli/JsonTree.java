package io.berth.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Map;

/**
 * JSON trees as the client reads and prints them, with {@link PlainJson} (jackson-core's parser
 * where it is unsure) and jackson-core's generator, and no
 * ObjectMapper: setting up Berth's mapper (its modules, Java time, the typed ids) was most of what a
 * client command spent before it sent a request, and a tree needs none of it. The trees and the
 * text are those of {@code Json.MAPPER.readTree} and {@code writerWithDefaultPrettyPrinter()}
 * (JsonTreeTest holds them equal): the same node types for each token, the last of two equal keys
 * kept in the first one's place, nothing read after the first value.
 */
final class JsonTree {
  /** Made on first use: a command that reads only plain JSON and prints no --json never needs it. */
  private static final class Jackson {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTree() {}

  /** The first JSON value in {@code json}; a missing node when it holds none. */
  static JsonNode read(byte[] json) throws IOException {
    JsonNode plain = PlainJson.read(json);
    if (plain != null) return plain;
    try (JsonParser p = Jackson.FACTORY.createParser(json)) {
      return root(p);
    }
  }

  /** As {@link #read(byte[])}, from a file: its parse errors name it as the mapper's do. */
  static JsonNode read(File json) throws IOException {
    JsonNode plain = json.length() <= PlainJson.MAX_LENGTH ? plainFile(json) : null;
    if (plain != null) return plain;
    try (JsonParser p = Jackson.FACTORY.createParser(json)) {
      return root(p);
    }
  }

  /** The file's tree by {@link PlainJson}, or null: when it cannot be read as well, jackson-core reads it and says why. */
  private static JsonNode plainFile(File json) {
    try {
      return PlainJson.read(Files.readAllBytes(json.toPath()));
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code node} indented by Jackson's default pretty printer, as {@code --json} prints it. */
  static String pretty(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Jackson.FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      write(g, node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot print the manager's JSON: " + e.getMessage(), e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * Writes each node as its own {@code serialize} does under the mapper's defaults (which filter no
   * nulls, no empty arrays and sort no keys); {@code serialize} itself needs a mapper's provider.
   */
  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject(n, n.size());
        for (Map.Entry<String, JsonNode> field : n.properties()) {
          g.writeFieldName(field.getKey());
          write(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray(n, n.size());
        for (JsonNode item : n) write(g, item);
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
          default -> g.writeNumber(n.doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL, MISSING -> g.writeNull();
      default -> throw new IOException("no JSON for a " + n.getNodeType() + " node"); // read() makes none (binary, POJO)
    }
  }

  private static JsonNode root(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    return first == null ? MissingNode.getInstance() : value(p, first);
  }

  private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (String name; (name = p.nextFieldName()) != null; ) object.set(name, value(p, p.nextToken()));
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) array.add(value(p, t));
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new JsonParseException(p, "unexpected " + token);
    };
  }
}
