package io.berth.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.core.app.AppManifest;
import io.berth.core.app.ManifestRules;
import io.berth.core.error.BerthException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads an app manifest (YAML, or JSON, which is YAML too) into an {@link AppManifest} as
 * written — absent fields stay null for {@link ManifestRules#resolve}. The CLI
 * and the manager decode with this one reader, so a file the CLI accepts the manager reads alike.
 * A wrong field, type or syntax is an {@code InvalidManifest} naming the field and line.
 */
public final class ManifestYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(new ManifestNames())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING);
  /** A manifest is a few hundred bytes; this bounds what a request can make the parser do. */
  public static final int MAX_BYTES = 256 * 1024;

  private ManifestYaml() {}

  /** snake_case, and an alert's {@code forDuration} is {@code for} (Prometheus' word, which Java keeps for itself). */
  static final class ManifestNames extends PropertyNamingStrategies.SnakeCaseStrategy {
    @Override
    public String translate(String name) {
      return "forDuration".equals(name) ? "for" : super.translate(name);
    }
  }

  public static AppManifest read(String text) {
    if (text == null || text.isBlank()) throw invalid("the manifest is empty");
    if (text.length() > MAX_BYTES) throw invalid("the manifest is larger than " + (MAX_BYTES >> 10) + " KiB");
    try {
      AppManifest m = YAML.readValue(text, AppManifest.class);
      if (m == null) throw invalid("the manifest is empty");
      return m;
    } catch (UnrecognizedPropertyException e) {
      String where = path(e);
      String known = e.getKnownPropertyIds() == null ? "" : "; known fields: " + e.getKnownPropertyIds().stream()
          .map(Object::toString).map(ManifestYaml::snake).sorted().collect(Collectors.joining(", "));
      throw invalid((where.contains(".") ? where.substring(0, where.lastIndexOf('.')) + ": " : "")
          + "unknown field '" + e.getPropertyName() + "'" + lineOf(text, e.getPropertyName()) + known);
    } catch (InvalidFormatException e) {
      throw invalid(path(e) + ": " + describe(e.getTargetType()) + " expected, got '" + e.getValue() + "'" + line(e));
    } catch (MismatchedInputException e) {
      String p = path(e);
      throw invalid((p.isEmpty() ? "the manifest" : p) + ": " + describe(e.getTargetType()) + " expected" + line(e));
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException syntax) {
        throw invalid("not valid YAML" + line(syntax) + ": " + syntax.getOriginalMessage().lines().findFirst().orElse(""));
      }
      throw invalid(path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse("") + line(e));
    } catch (JsonProcessingException e) {
      throw invalid("not valid YAML" + line(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw invalid("cannot read the manifest: " + e.getMessage());
    }
  }

  private static BerthException.Invalid invalid(String message) {
    return new BerthException.Invalid("InvalidManifest", message);
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) b.append('.');
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /**
   * The line where {@code key} is written. Records are built once all their fields are read, so
   * the parser's own location of an unknown field is the end of its mapping; the text says better.
   */
  private static String lineOf(String text, String key) {
    Matcher m = Pattern.compile("(^|[\\s{,])" + Pattern.quote(key) + "\\s*:",
        Pattern.MULTILINE).matcher(text);
    if (!m.find()) return "";
    return " (line " + (1 + text.substring(0, m.end(1)).chars().filter(c -> c == '\n').count()) + ")";
  }

  private static String line(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 1 ? "" : " (line " + l.getLineNr() + ")";
  }

  private static String describe(Class<?> type) {
    if (type == null) return "another value";
    if (List.class.isAssignableFrom(type)) return "a list";
    if (Map.class.isAssignableFrom(type) || type.isRecord()) return "a mapping";
    if (type == Integer.class || type == int.class) return "a whole number";
    if (type == Double.class || type == double.class) return "a number";
    if (type == AppManifest.Strategy.class) return "one of rolling, canary, blue-green";
    return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
