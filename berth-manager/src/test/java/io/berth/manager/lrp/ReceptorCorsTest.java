package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.ManagerConfig;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --cors} on the Receptor's routes, as Diego's receptor: any Origin echoed with credentials; preflights answered without them. */
class ReceptorCorsTest {
  @RegisterExtension static final ApiTestServer m = new ApiTestServer(c -> c.withReceptor(new ManagerConfig.Receptor(null, null, true)));
  @RegisterExtension static final ApiTestServer off = new ApiTestServer();

  @Test
  void aPreflightIsAnsweredWithoutCredentials() throws Exception {
    HttpResponse<String> r = m.call(null, "OPTIONS", "/v1/desired_lrps/web", null, "Origin", "https://ui.example",
        "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization,content-type");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, PUT, DELETE, OPTIONS");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization,content-type");
  }

  @Test
  void answersEchoTheOriginAndRefusalsToo() throws Exception {
    HttpResponse<String> ok = m.asAdmin("GET", "/v1/tasks", null, "Origin", "http://localhost:3000");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
    assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Authorization, Content-Type, Cache-Control, Last-Event-ID");
    HttpResponse<String> refused = m.call(null, "GET", "/v1/tasks", null, "Origin", "http://localhost:3000");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
  }

  @Test
  void onlyTheReceptorsRoutesAndOnlyWhenOn() throws Exception {
    HttpResponse<String> berth = m.asAdmin("GET", "/v1/nodes", null, "Origin", "https://ui.example");
    assertThat(berth.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(m.call(null, "OPTIONS", "/v1/nodes", null, "Origin", "https://ui.example").statusCode()).isEqualTo(405);
    HttpResponse<String> offPreflight = off.call(null, "OPTIONS", "/v1/tasks", null, "Origin", "https://ui.example",
        "Access-Control-Request-Method", "GET");
    assertThat(offPreflight.statusCode()).isEqualTo(405);
    assertThat(offPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(off.asAdmin("GET", "/v1/tasks", null, "Origin", "https://ui.example").headers().firstValue("Access-Control-Allow-Origin"))
        .isEmpty();
  }
}
