package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.ManagerConfig;
import io.berth.manager.http.ApiTestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Receptor's own ways in, on a whole manager: its Basic user ({@code --receptor-user}) and its cookie. */
class ReceptorAuthTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer(c -> c.withReceptor(new ManagerConfig.Receptor("diego", "s3cret pass", false)));

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  void user(String name, boolean admin) throws Exception {
    HttpResponse<String> r = m.asAdmin("POST", "/v1/users", "{\"name\":\"" + name + "\",\"password\":\"own password 1\",\"admin\":" + admin + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void theReceptorUsersBasicCredentialsSignInAsThatBerthUser() throws Exception {
    user("diego", true);
    HttpResponse<String> r = m.call(basic("diego", "s3cret pass"), "GET", "/v1/desired_lrps", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(m.call(basic("diego", "s3cret pass"), "GET", "/v1/cells", null).statusCode()).isEqualTo(200);
    // the user's own password works too, as on every route
    assertThat(m.call(basic("diego", "own password 1"), "GET", "/v1/desired_lrps", null).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongCredentialsAre401InTheReceptorsErrorShape() throws Exception {
    user("diego", true);
    HttpResponse<String> r = m.call(basic("diego", "wrong"), "GET", "/v1/tasks", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(ApiTestServer.json(r).path("name").asText()).isEqualTo("Unauthorized");
    assertThat(ApiTestServer.json(r).path("message").asText()).isEqualTo("wrong user name or password");
  }

  @Test
  void rolesStillApplyAndAMissingUserIsNamed() throws Exception {
    HttpResponse<String> missing = m.call(basic("diego", "s3cret pass"), "GET", "/v1/desired_lrps", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(ApiTestServer.json(missing).path("message").asText()).contains("receptor user diego is not a Berth user");
    user("diego", false);
    assertThat(m.call(basic("diego", "s3cret pass"), "GET", "/v1/desired_lrps", null).statusCode()).isEqualTo(403);
  }

  @Test
  void theReceptorPasswordOpensOnlyTheReceptorsRoutes() throws Exception {
    user("diego", true);
    assertThat(m.call(basic("diego", "s3cret pass"), "GET", "/v1/whoami", null).statusCode()).isEqualTo(401);
    assertThat(m.call(null, "POST", "/v1/login", "{\"user\":\"diego\",\"password\":\"s3cret pass\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void theCookieStandsForAMissingAuthorizationHeader() throws Exception {
    user("diego", true);
    assertThat(m.call(null, "GET", "/v1/desired_lrps", null, "Cookie", "receptor_authorization=Bearer " + m.adminToken()).statusCode())
        .isEqualTo(200);
    String encoded = URLEncoder.encode(basic("diego", "s3cret pass"), StandardCharsets.UTF_8).replace("+", "%20");
    assertThat(m.call(null, "GET", "/v1/actual_lrps", null, "Cookie", "theme=dark; receptor_authorization=" + encoded).statusCode())
        .isEqualTo(200);
    assertThat(m.call(null, "GET", "/v1/domains", null, "Cookie", "receptor_authorization=\"" + basic("diego", "s3cret pass") + "\"")
        .statusCode()).isEqualTo(200);
    // a header, even a wrong one, wins over the cookie; and the cookie is the Receptor's, not the whole API's
    assertThat(m.call(basic("diego", "wrong"), "GET", "/v1/desired_lrps", null, "Cookie", "receptor_authorization=Bearer " + m.adminToken())
        .statusCode()).isEqualTo(401);
    assertThat(m.call(null, "GET", "/v1/join-token", null, "Cookie", "receptor_authorization=Bearer " + m.adminToken()).statusCode())
        .isEqualTo(401);
    assertThat(m.call(null, "GET", "/v1/tasks", null, "Cookie", "receptor_authorization=Bearer nonsense").statusCode()).isEqualTo(401);
  }
}
