package io.berth.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.berth.core.node.Node;
import java.io.IOException;

/**
 * The one JSON mapping of Berth's own wire and store formats: snake_case fields (as the Receptor
 * API), ISO-8601 times, unknown fields rejected so a typo in a request is an error, not ignored.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(ActionJson.module())
      .registerModule(IdJson.module())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // Enums travel as their lower-case words ("ready"), which their toString() gives.
      .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
      .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
      .addMixIn(Node.class, NodeVersionOmittedWhenNull.class)
      .addHandler(new SchemaStampIgnored());

  /**
   * The one unknown field every reader takes: {@code "schema"}, the store schema the manager stamps
   * into each record it writes (the manager strips it on the way in; a store read beneath the
   * manager, as tools and tests do, still holds it).
   */
  private static final class SchemaStampIgnored extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(DeserializationContext ctx, JsonParser p, JsonDeserializer<?> deserializer, Object bean,
                                         String propertyName) throws IOException {
      if (!"schema".equals(propertyName)) return false;
      p.skipChildren();
      return true;
    }
  }

  /** A node of no stated version (an engine, an older agent) is stored as before versions, byte for byte. */
  private abstract static class NodeVersionOmittedWhenNull {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract String version();
  }

  private Json() {}

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** Decodes; a malformed body is an {@link IllegalArgumentException} with the parser's words. */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
