package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PullAuthTest {
  @Test
  void theEngineGetsTheTokenAsBase64UrlJsonWithRegistrytoken() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2RlOm4xIn0.c2ln-_";
    String header = PullAuth.header(jwt);
    assertThat(header).doesNotContain("+", "/");
    assertThat(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8)).isEqualTo("{\"registrytoken\":\"" + jwt + "\"}");
  }
}
