package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The token's exact shape is what distribution 2.8 checks: header, x5c chain, kid, single-string aud, access. */
class RegistryTokensTest {
  static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
  static final ClusterCa CA = ClusterCa.create("test", NOW);
  static final RegistryTokens TOKENS = RegistryTokens.create(CA, "berth", "berth-registry", NOW);

  @Test
  void headerIsRs256JwtWithTheLeafFirstChainInStandardBase64AndALibtrustKid() throws Exception {
    String jwt = TOKENS.sign("alice", List.of(Scope.repository("team/app", "pull", "push")), NOW);
    JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("typ").asText()).isEqualTo("JWT");
    assertThat(header.path("x5c")).hasSize(2);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    // Standard base64: the decoder for the standard alphabet takes it, and it is the certificates' DER.
    byte[] leafDer = Base64.getDecoder().decode(header.path("x5c").get(0).asText());
    byte[] caDer = Base64.getDecoder().decode(header.path("x5c").get(1).asText());
    assertThat(leafDer).isEqualTo(TOKENS.certificate().getEncoded());
    assertThat(caDer).isEqualTo(CA.certificate().getEncoded());
    X509Certificate leaf = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(leafDer));
    leaf.verify(CA.certificate().getPublicKey()); // chains to the CA, the registry's rootcertbundle
    assertThat(header.path("kid").asText()).isEqualTo(RegistryTokens.keyId(leaf.getPublicKey()))
        .matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
    assertThat(SignedJWT.parse(jwt).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(SignedJWT.parse(jwt).verify(new RSASSAVerifier((RSAPublicKey) leaf.getPublicKey()))).isTrue();
  }

  @Test
  void claimsCarryIssuerSubjectOneAudienceStringLifetimeAndAccess() throws Exception {
    String jwt = TOKENS.sign("alice", List.of(Scope.repository("team/app", "push", "pull"),
        new Scope(Scope.REGISTRY, "catalog", Set.of("*"))), NOW);
    JsonNode claims = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(claims.path("iss").asText()).isEqualTo("berth");
    assertThat(claims.path("sub").asText()).isEqualTo("alice");
    assertThat(claims.path("aud").isTextual()).as("aud must be one string, not an array: %s", claims).isTrue();
    assertThat(claims.path("aud").asText()).isEqualTo("berth-registry");
    assertThat(claims.path("nbf").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.path("exp").asLong() - claims.path("nbf").asLong()).isEqualTo(RegistryTokens.TTL.toSeconds());
    assertThat(claims.path("jti").asText()).hasSize(32);
    assertThat(claims.path("access").toString()).isEqualTo(
        "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\",\"push\"]},"
            + "{\"type\":\"registry\",\"name\":\"catalog\",\"actions\":[\"*\"]}]");
  }

  @Test
  void anEmptyGrantIsAnEmptyAccessList() throws Exception {
    String jwt = TOKENS.sign("anonymous", List.of(), NOW);
    assertThat(SignedJWT.parse(jwt).getJWTClaimsSet().getListClaim("access")).isEmpty();
  }

  @Test
  void keyIdIsTheFirst240BitsOfTheKeysSha256InBase32() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(TOKENS.certificate().getPublicKey().getEncoded());
    String kid = RegistryTokens.keyId(TOKENS.certificate().getPublicKey());
    assertThat(kid.replace(":", "")).isEqualTo(RegistryTokens.base32(Arrays.copyOf(digest, 30))).hasSize(48);
    // RFC 4648's test vectors
    assertThat(RegistryTokens.base32("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
    assertThat(RegistryTokens.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    assertThat(RegistryTokens.base32("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YQ");
  }

  @Test
  void scopesParseAsDockerWritesThem() {
    assertThat(Scope.parse("repository:team/app:push,pull")).isEqualTo(Scope.repository("team/app", "pull", "push"));
    assertThat(Scope.parse("repository(plugin):a/b:pull").type()).isEqualTo("repository");
    assertThat(Scope.parse("registry:catalog:*")).isEqualTo(new Scope("registry", "catalog", Set.of("*")));
    assertThat(Scope.parseAll(List.of("repository:a:pull repository:b:push", "repository:c:pull"))).hasSize(3);
    Assertions.assertThatThrownBy(() -> Scope.parse("repository:nope"))
        .hasMessageContaining("scope must look like repository:NAME:ACTIONS");
  }
}
