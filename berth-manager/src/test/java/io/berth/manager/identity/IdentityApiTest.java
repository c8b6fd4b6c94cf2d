package io.berth.manager.identity;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, sign-in, tokens, members, admin-only routes and the audit log over HTTP on an in-process manager. */
class IdentityApiTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  void user(String name, String password) throws Exception {
    HttpResponse<String> r = m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  String login(String name, String password) throws Exception {
    HttpResponse<String> r = m.call(null, "POST", "/v1/login", "{\"user\":\"" + name + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("token").asText();
  }

  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 1
      ports: [8080]
      routes: [hello.berth.local]
      """;

  @Test
  void aUserSignsInWithAPasswordAndWrongOnesAreSlowedDown() throws Exception {
    user("alice", "correct horse");
    String token = login("alice", "correct horse");
    assertThat(token).startsWith("bt_");
    JsonNode me = json(m.call(token, "GET", "/v1/whoami", null));
    assertThat(me.path("user").asText()).isEqualTo("alice");
    assertThat(me.path("admin").asBoolean()).isFalse();

    HttpResponse<String> wrong = m.call(null, "POST", "/v1/login", "{\"user\":\"alice\",\"password\":\"wrong horse\"}");
    HttpResponse<String> nobody = m.call(null, "POST", "/v1/login", "{\"user\":\"mallory\",\"password\":\"wrong horse\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).path("message").asText()).isEqualTo("wrong user name or password").isEqualTo(json(nobody).path("message").asText());
    m.call(null, "POST", "/v1/login", "{\"user\":\"alice\",\"password\":\"wrong horse\"}");
    m.call(null, "POST", "/v1/login", "{\"user\":\"alice\",\"password\":\"wrong horse\"}");
    HttpResponse<String> slowed = m.call(null, "POST", "/v1/login", "{\"user\":\"alice\",\"password\":\"correct horse\"}");
    assertThat(slowed.statusCode()).as(slowed.body()).isEqualTo(429);
    assertThat(json(slowed).path("message").asText()).contains("too many failed sign-ins").contains("try again in");
    // Basic credentials work on any route, as docker login sends them
    String basic = "Basic " + Base64.getEncoder().encodeToString("alice:bad".getBytes());
    assertThat(m.call(basic, "GET", "/v1/whoami", null).statusCode()).isIn(401, 429);
  }

  @Test
  void tokensExpireAndAreRevokedAndNeverShownAgain() throws Exception {
    user("alice", "correct horse");
    String session = login("alice", "correct horse");
    HttpResponse<String> made = m.call(session, "POST", "/v1/tokens", "{\"name\":\"ci\",\"expires_in\":\"30d\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    String token = json(made).path("token").asText();
    String id = json(made).path("id").asText();
    assertThat(m.call(token, "GET", "/v1/whoami", null).statusCode()).isEqualTo(200);

    HttpResponse<String> list = m.call(token, "GET", "/v1/tokens", null);
    assertThat(list.body()).contains(id).doesNotContain(token).doesNotContain("hash").doesNotContain(token.split("_", 4)[3]); // the secret may itself hold a '_'

    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    assertThat(json(m.call(tampered, "GET", "/v1/whoami", null)).path("message").asText()).isEqualTo("invalid token: unknown or removed");
    String foreign = "bt_00000000_" + token.split("_", 3)[2];
    assertThat(json(m.call(foreign, "GET", "/v1/whoami", null)).path("message").asText()).contains("another Berth cluster");
    assertThat(json(m.call("not-a-token", "GET", "/v1/whoami", null)).path("message").asText()).isEqualTo("invalid token: not a Berth token");

    assertThat(m.call(session, "DELETE", "/v1/tokens/" + id, null).statusCode()).isEqualTo(204);
    HttpResponse<String> revoked = m.call(token, "GET", "/v1/whoami", null);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(json(revoked).path("message").asText()).contains("was revoked");

    String brief = json(m.call(session, "POST", "/v1/tokens", "{\"name\":\"brief\",\"expires_in\":\"1s\"}")).path("token").asText();
    Thread.sleep(1100);
    assertThat(json(m.call(brief, "GET", "/v1/whoami", null)).path("message").asText()).contains("expired at");
    assertThat(m.call(session, "POST", "/v1/tokens", "{\"expires_in\":\"400d\"}").statusCode()).isEqualTo(400);
    assertThat(m.call(session, "POST", "/v1/tokens", "{\"expires_in\":\"soon\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void rolesDecideWhatAMemberMayDoWithAnApp() throws Exception {
    user("alice", "correct horse");
    user("bob", "battery staple");
    String alice = login("alice", "correct horse");
    String bob = login("bob", "battery staple");
    assertThat(m.call(alice, "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    assertThat(json(m.call(alice, "GET", "/v1/members/app/hello", null)).get(0).path("role").asText()).isEqualTo("owner");

    assertThat(json(m.call(bob, "GET", "/v1/apps", null))).isEmpty(); // bob sees only what he belongs to
    HttpResponse<String> denied = m.call(bob, "GET", "/v1/apps/hello", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(json(denied).path("message").asText()).isEqualTo("bob is not a member of app hello (read needs reporter or developer or master or owner)");

    assertThat(m.call(alice, "PUT", "/v1/members/app/hello/bob", "{\"role\":\"reporter\"}").statusCode()).isEqualTo(200);
    assertThat(json(m.call(bob, "GET", "/v1/apps", null))).hasSize(1);
    assertThat(m.call(bob, "GET", "/v1/apps/hello/events", null).statusCode()).isEqualTo(200);
    HttpResponse<String> scale = m.call(bob, "POST", "/v1/apps/hello/scale", "{\"instances\":2}");
    assertThat(scale.statusCode()).isEqualTo(403);
    assertThat(json(scale).path("message").asText()).isEqualTo("bob is a reporter of app hello; scale needs master or owner");

    assertThat(m.call(alice, "PUT", "/v1/members/app/hello/bob", "{\"role\":\"master\"}").statusCode()).isEqualTo(200);
    assertThat(m.call(bob, "POST", "/v1/apps/hello/scale", "{\"instances\":2}").statusCode()).isNotEqualTo(403);
    HttpResponse<String> notOwner = m.call(bob, "PUT", "/v1/members/app/hello/bob", "{\"role\":\"owner\"}");
    assertThat(json(notOwner).path("message").asText()).isEqualTo("only an owner of app hello gives or takes the owner role");
    HttpResponse<String> badRole = m.call(alice, "PUT", "/v1/members/app/hello/bob", "{\"role\":\"boss\"}");
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(json(badRole).path("message").asText()).isEqualTo("no such role: 'boss' (roles: owner, master, developer, reporter, guest)");
    HttpResponse<String> last = m.call(alice, "DELETE", "/v1/members/app/hello/alice", null);
    assertThat(last.statusCode()).isEqualTo(409);
    assertThat(json(last).path("message").asText()).contains("alice is the last owner of app hello");
    assertThat(m.call(bob, "DELETE", "/v1/apps/hello", null).statusCode()).isEqualTo(403); // delete is the owner's

    // removing the last owner of a resource is refused for the user as a whole too
    HttpResponse<String> rm = m.call(m.adminToken(), "DELETE", "/v1/users/alice", null);
    assertThat(rm.statusCode()).isEqualTo(409);
    assertThat(json(rm).path("message").asText()).contains("alice is the last owner of app hello");
  }

  @Test
  void theClustersMachineryIsForAdministratorsAndEveryChangeIsAudited() throws Exception {
    user("alice", "correct horse");
    String alice = login("alice", "correct horse");
    assertThat(m.call(alice, "GET", "/v1/nodes", null).statusCode()).isEqualTo(200);
    for (String path : new String[] {"/v1/join-token", "/v1/desired_lrps", "/v1/audit", "/v1/users", "/v1/activity", "/v1/routers"}) {
      HttpResponse<String> r = m.call(alice, "GET", path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(json(r).path("message").asText()).as(path).endsWith("is for administrators; alice is not one");
    }
    HttpResponse<String> anonymous = m.call(null, "GET", "/v1/apps", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(m.call(alice, "POST", "/v1/users", "{\"name\":\"eve\",\"password\":\"12345678\"}").statusCode()).isEqualTo(403);
    m.call(m.adminToken(), "PUT", "/v1/users/alice/password", "{\"password\":\"new horse!\"}");

    JsonNode audit = json(m.call(m.adminToken(), "GET", "/v1/audit", null));
    assertThat(audit.toString()).contains("POST /v1/login").contains("POST /v1/users").contains("\"outcome\":\"denied\"")
        .doesNotContain("correct horse").doesNotContain("new horse").doesNotContain(alice).doesNotContain(m.adminToken());
    JsonNode deniedCreate = null;
    for (JsonNode e : audit) if (e.path("action").asText().equals("POST /v1/users") && e.path("user").asText().equals("alice")) deniedCreate = e;
    assertThat(deniedCreate).isNotNull();
    assertThat(deniedCreate.path("status").asInt()).isEqualTo(403);
    assertThat(deniedCreate.path("from").asText()).isEqualTo("127.0.0.1");
    assertThat(json(m.call(m.adminToken(), "GET", "/v1/users", null)).toString()).contains("alice").doesNotContain("password");
    assertThat(json(m.call(m.adminToken(), "GET", "/v1/audit?user=alice&since=1h", null))).allMatch(e -> e.path("user").asText().equals("alice"));
  }

  @Test
  void noSecretComesBackInAnError() throws Exception {
    user("alice", "correct horse");
    for (String body : new String[] {"{\"user\":\"alice\",\"password\":\"s3cret-pass\"", "{\"user\":\"alice\",\"password\":\"s3cret-pass\",\"x\":1}",
        "{\"user\":\"alice\",\"password\":[\"s3cret-pass\"]}"}) {
      HttpResponse<String> r = m.call(null, "POST", "/v1/login", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.body()).as(body).doesNotContain("s3cret-pass");
    }
    HttpResponse<String> weak = m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"bob\",\"password\":\"short\"}");
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(json(weak).path("message").asText()).isEqualTo("a password needs at least 8 characters");
    HttpResponse<String> badName = m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"Bob Smith\",\"password\":\"long enough\"}");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(json(badName).path("message").asText()).startsWith("a user name is 1-32 characters");
    assertThat(m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"alice\",\"password\":\"long enough\"}").statusCode()).isEqualTo(409);
    assertThat(m.call(m.adminToken(), "DELETE", "/v1/users/admin", null).statusCode()).isEqualTo(409);
  }
}
