package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Access beside the permission matrix's cells, for the users of {@link AsEveryRole}: a public
 * repository is pulled by anyone and pushed by members only, the audit log names who did what and
 * what was denied, and the registry refuses a token whose claims or signature were changed.
 */
@AsEveryRole.MatrixCluster
class AccessIT extends AsEveryRole {
  @Test
  void publicRepositoriesArePulledByAnyoneAndPrivateOnesByMembersOnly() throws Exception {
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxp/open:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxp/open:v1").exit()).isZero();
    DockerCli.Result anonymous = registry("anonymous", null, "pull", REGISTRY + "/mxp/open:v1");
    assertThat(anonymous.exit()).as("private: anonymous refused").isNotZero();
    assertThat(registry("u-extra", null, "pull", REGISTRY + "/mxp/open:v1").exit()).as("private: a non-member refused").isNotZero();
    assertThat(berthAs("u-owner", "image", "visibility", "mxp/open", "public").exit()).isZero();
    DockerCli.Result pulled = registry("anonymous", null, "pull", REGISTRY + "/mxp/open:v1");
    assertThat(pulled.exit()).as(pulled.err()).isZero();
    assertThat(registry("u-extra", null, "pull", REGISTRY + "/mxp/open:v1").exit()).isZero();
    DockerCli.Result push = registry("u-extra", null, "push", REGISTRY + "/mxp/open:v1");
    assertThat(push.exit()).as("public is for pulling, not pushing").isNotZero();
  }

  @Test
  void theAuditLogNamesWhoDidWhatAndTheDenials() throws Exception {
    // a new app name: any signed-in user may take it and becomes its owner
    BerthProcess.Result made = berthAs("u-guest", "app", "deploy", "-f", manifest("mxa", "audit").toString()).run();
    assertThat(made.exit()).as(made.out() + made.err()).isZero();
    assertThat(berthAs("u-extra", "app", "scale", "mxa", "2").run().err()).contains("u-extra is not a member of app mxa");
    assertThat(berthAs("u-guest", "app", "rm", "mxa").exit()).isZero();
    JsonNode guest = Json.MAPPER.readTree(berthAs("admin", "audit", "--user", "u-guest", "--json").run().out());
    assertThat(guest.toString()).contains("POST /v1/apps").contains("DELETE /v1/apps/mxa")
        .doesNotContain(tokens.get("u-guest")).doesNotContain(password("u-guest"));
    JsonNode extra = Json.MAPPER.readTree(berthAs("admin", "audit", "--user", "u-extra", "--json").run().out());
    assertThat(extra.toString()).contains("POST /v1/apps/mxa/scale").contains("\"outcome\":\"denied\"").contains("\"status\":403");
    assertThat(berthAs("u-guest", "audit").run().err()).contains("is for administrators");
  }

  @Test
  void theRegistryRefusesATamperedToken() throws Exception {
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxt/t:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxt/t:v1").exit()).isZero();
    assertThat(berthAs("u-owner", "member", "add", "--repo", "mxt/t", "u-reporter", "reporter").exit()).isZero();
    String basic = java.util.Base64.getEncoder().encodeToString(("u-reporter:" + password("u-reporter")).getBytes());
    HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
        + "/v1/registry/token?scope=repository:mxt/t:pull,push")).header("Authorization", "Basic " + basic).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String jwt = Json.MAPPER.readTree(issued.body()).path("token").asText();
    String[] parts = jwt.split("\\.");
    java.util.Base64.Decoder dec = java.util.Base64.getUrlDecoder();
    java.util.Base64.Encoder enc = java.util.Base64.getUrlEncoder().withoutPadding();
    String claims = new String(dec.decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(claims).contains("\"pull\"").doesNotContain("\"push\""); // a reporter's token: pull only
    assertThat(registryApi(jwt, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(200);

    // the same token with push written into its claims, signature kept
    String pushing = parts[0] + "." + enc.encodeToString(claims.replace("[\"pull\"]", "[\"pull\",\"push\"]")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(registryApi(pushing, "POST", "/v2/mxt/t/blobs/uploads/").statusCode()).isEqualTo(401);
    assertThat(registryApi(pushing, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(401);
    // signed by a key the cluster never saw (another cluster's, or a forger's), the real certificate chain kept
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
    rsa.initSign(g.generateKeyPair().getPrivate());
    rsa.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    String forged = parts[0] + "." + parts[1] + "." + enc.encodeToString(rsa.sign());
    assertThat(registryApi(forged, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(401);
  }

  static HttpResponse<String> registryApi(String jwt, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + path)).header("Authorization", "Bearer " + jwt)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
