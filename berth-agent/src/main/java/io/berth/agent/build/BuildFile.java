package io.berth.agent.build;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A repository's {@code berth-build.yml}: the prepare steps, each an image, a shell command and the
 * caches it mounts. Read token by token rather than bound to records, so every refusal names its
 * field and the line it is on (a bound record knows only where its mapping ends).
 *
 * <pre>
 * steps:
 *   - name: compile
 *     image: maven:3-eclipse-temurin-21
 *     run: mvn -B -q package -DskipTests
 *     caches: [m2]
 *     env: {MAVEN_OPTS: -Xmx1g}
 * </pre>
 */
record BuildFile(List<Step> steps) {
  static final String FILE = "berth-build.yml";
  static final int MAX_BYTES = 64 * 1024;
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final List<String> TOP = List.of("steps");
  private static final List<String> FIELDS = List.of("caches", "env", "image", "name", "run");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  BuildFile {
    steps = List.copyOf(steps);
  }

  /** One prepare step; {@code run} is given to {@code /bin/sh -c} in {@code image}. */
  record Step(String name, String image, String run, List<String> caches, Map<String, String> env) {
    Step {
      caches = List.copyOf(caches);
      env = Map.copyOf(env);
    }
  }

  static BuildFile parse(String text) throws StepFailed {
    if (text.length() > MAX_BYTES) throw new StepFailed(FILE + " is larger than " + (MAX_BYTES >> 10) + " KiB");
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null || t == JsonToken.VALUE_NULL) return new BuildFile(List.of());
      if (t != JsonToken.START_OBJECT) throw invalid(p, "the file", "a mapping with 'steps'");
      List<Step> steps = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (!TOP.contains(field)) throw unknown(p, "", field, TOP);
        p.nextToken();
        steps = steps(p);
      }
      return new BuildFile(steps);
    } catch (JsonProcessingException e) {
      throw new StepFailed(FILE + " is not valid YAML" + at(e.getLocation() == null ? 0 : e.getLocation().getLineNr())
          + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new StepFailed("cannot read " + FILE + ": " + e.getMessage());
    }
  }

  private static List<Step> steps(JsonParser p) throws IOException, StepFailed {
    if (p.currentToken() == JsonToken.VALUE_NULL) return List.of();
    if (p.currentToken() != JsonToken.START_ARRAY) throw invalid(p, "steps", "a list");
    List<Step> steps = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) steps.add(step(p, "steps[" + steps.size() + "]", steps.size() + 1));
    return steps;
  }

  private static Step step(JsonParser p, String where, int number) throws IOException, StepFailed {
    if (p.currentToken() != JsonToken.START_OBJECT) throw invalid(p, where, "a mapping with image and run");
    int line = p.getTokenLocation().getLineNr();
    Map<String, String> scalars = new LinkedHashMap<>();
    List<String> caches = List.of();
    Map<String, String> env = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      if (!FIELDS.contains(field)) throw unknown(p, where, field, FIELDS);
      p.nextToken();
      switch (field) {
        case "caches" -> caches = caches(p, where + ".caches");
        case "env" -> env = env(p, where + ".env");
        default -> scalars.put(field, scalar(p, where + "." + field));
      }
    }
    for (String required : List.of("image", "run")) {
      if (scalars.getOrDefault(required, "").isBlank()) throw new StepFailed(FILE + at(line) + ": " + where + ": '" + required + "' is missing");
    }
    return new Step(scalars.getOrDefault("name", "step-" + number), scalars.get("image"), scalars.get("run"), caches, env);
  }

  private static List<String> caches(JsonParser p, String where) throws IOException, StepFailed {
    if (p.currentToken() != JsonToken.START_ARRAY) throw invalid(p, where, "a list of m2, npm or directories");
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String cache = scalar(p, where + "[" + out.size() + "]");
      if (!cache.equals("m2") && !cache.equals("npm")) {
        try {
          Workspace.inside(Path.of("/cache"), "cache", cache);
        } catch (StepFailed e) {
          throw new StepFailed(FILE + at(p.getTokenLocation().getLineNr()) + ": " + e.getMessage());
        }
      }
      out.add(cache);
    }
    return out;
  }

  private static Map<String, String> env(JsonParser p, String where) throws IOException, StepFailed {
    if (p.currentToken() != JsonToken.START_OBJECT) throw invalid(p, where, "a mapping of NAME: value");
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (!ENV_NAME.matcher(name).matches()) throw new StepFailed(FILE + at(p.getTokenLocation().getLineNr()) + ": " + where + ": '" + name + "' is not a variable name");
      p.nextToken();
      out.put(name, p.currentToken() == JsonToken.VALUE_NULL ? "" : scalar(p, where + "." + name));
    }
    return out;
  }

  private static String scalar(JsonParser p, String where) throws IOException, StepFailed {
    if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) throw invalid(p, where, "a string");
    return p.getText();
  }

  private static StepFailed unknown(JsonParser p, String where, String field, List<String> known) {
    return new StepFailed(FILE + at(p.getTokenLocation().getLineNr()) + ": " + (where.isEmpty() ? "" : where + ": ")
        + "unknown field '" + field + "'; known fields: " + String.join(", ", known));
  }

  private static StepFailed invalid(JsonParser p, String where, String expected) {
    return new StepFailed(FILE + at(p.getTokenLocation().getLineNr()) + ": " + where + ": " + expected + " expected");
  }

  private static String at(int line) {
    return line < 1 ? "" : " line " + line;
  }
}
