package io.berth.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route of the Berth API that takes a body — read from the route table the manager wires,
 * the Receptor API's included — answers a malformed body with a 4xx in the user's words: never a
 * 5xx, a Java class or exception name, or a stack trace.
 */
class MalformedBodyTest {
  @RegisterExtension static final ApiTestServer m = new ApiTestServer();

  /** What must never reach a client: a qualified Java name, an exception's or error's class, a stack frame, Jackson's backticked types. */
  static final Pattern LEAK = Pattern.compile(
      "\\b(java|javax|jdk|sun|com\\.fasterxml|org\\.yaml|io\\.berth)\\.[\\w.$]+|\\b\\w+(Exception|Error)\\b|\\tat |`[\\w.$]+`|\\$\\w+|StreamReadConstraints");

  static Map<String, byte[]> bodies() {
    Map<String, byte[]> b = new LinkedHashMap<>();
    b.put("empty", new byte[0]);
    b.put("null", utf8("null"));
    b.put("an array", utf8("[1, 2]"));
    b.put("a string", utf8("\"x\""));
    b.put("a number", utf8("42"));
    b.put("wrong types", utf8("{\"name\": [1], \"password\": {}, \"user\": 3.5, \"instances\": \"many\", \"role\": [], "
        + "\"expires_in\": {}, \"public\": \"yes\", \"process_guid\": [], \"to\": {}, \"id\": [], \"group\": {}}"));
    b.put("a huge number", utf8("{\"instances\": 1e400, \"to\": 99999999999999999999999}"));
    b.put("malformed", utf8("{\"name\": "));
    b.put("unterminated", utf8("{\"name\": \"x\", \"password\": \"pw-x-long-enough\""));
    b.put("deep nesting", utf8("[".repeat(10_000)));
    b.put("deep nesting in an object", utf8("{\"name\": " + "[".repeat(10_000)));
    b.put("deep actions", utf8("{\"action\": " + "{\"serial\": {\"actions\": [".repeat(330) + "{\"run\": {\"path\": \"/bin/true\"}}"
        + "]}}".repeat(330) + "}"));
    b.put("invalid UTF-8", new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});
    b.put("UTF-16", "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_16BE));
    byte[] big = new byte[BodyReader.MAX_BYTES + 1024];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    b.put("oversized", big);
    return b;
  }

  @Test
  void everyRouteThatTakesABodyAnswersMalformedOnesWithA4xxInWords() throws Exception {
    // Path parameters name things that exist, so a route reaches its body rather than stopping at "no such app".
    assertThat(m.asAdmin("POST", "/v1/users", "{\"name\": \"x\", \"password\": \"pw-x-long-enough\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> app = m.asAdmin("POST", "/v1/apps", "name: x\nimage: berth/busybox:1\ncommand: [httpd]\ninstances: 0\nports: [8080]\n");
    assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
    List<Routes.Entry> routes = m.manager().apiRoutes().table().stream()
        .filter(r -> !r.method().equals("GET"))
        .sorted(Comparator.comparing(r -> r.method().equals("DELETE"))) // what a DELETE removes the other routes still name
        .toList();
    assertThat(routes).extracting(Routes.Entry::template)
        .contains("/v1/users", "/v1/login", "/v1/tokens", "/v1/apps/{name}/scale", "/v1/desired_lrps", "/v1/tasks");
    List<String> failures = new ArrayList<>();
    List<String> off = new ArrayList<>();
    for (Routes.Entry route : routes) {
      String path = route.template().replaceAll("\\{v}", "1").replaceAll("\\{kind}", "app").replaceAll("\\{\\w+}", "x");
      // A part this manager does not run (the image registry, a child process) answers 503 whatever the body: not the body's fault.
      if (m.send(m.adminToken(), route.method(), path, utf8("{}")).statusCode() == 503) {
        off.add(route.template());
        continue;
      }
      for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
        HttpResponse<String> r;
        try {
          r = m.send(m.adminToken(), route.method(), path, body.getValue());
        } catch (IOException e) {
          failures.add(route.method() + " " + route.template() + " with " + body.getKey() + ": no answer, " + e.getMessage());
          continue;
        }
        if (r.statusCode() >= 500 || LEAK.matcher(r.body()).find()) {
          failures.add(route.method() + " " + route.template() + " with " + body.getKey() + ": " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(off).allSatisfy(t -> assertThat(t).startsWith("/v1/images/"));
  }

  @Test
  void aNullBodyIsA400NamingWhatWasExpected() throws Exception {
    m.asAdmin("POST", "/v1/apps", "name: hello\nimage: berth/busybox:1\ncommand: [httpd]\ninstances: 0\nports: [8080]\n");
    for (String path : List.of("/v1/users", "/v1/login", "/v1/tokens", "/v1/apps/hello/scale")) {
      HttpResponse<String> r = m.send(m.adminToken(), "POST", path, utf8("null"));
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(ApiTestServer.json(r).path("message").asText()).isEqualTo("request body: must be a JSON object, got null");
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
