package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.fleet.HttpMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExchangeTest {
  @Test
  void stripsTheVersionPrefixAndReadsQueryParameters() throws Exception {
    HttpMessage m = HttpMessage.read(new ByteArrayInputStream(
        "GET /v1.41/containers/json?all=1&filters=%7B%22a%22%7D HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
    Exchange ex = new Exchange(m, new byte[0], null, null);
    assertThat(ex.path()).isEqualTo("/containers/json");
    assertThat(ex.queryParam("all")).isEqualTo("1");
    assertThat(ex.queryParam("filters")).isEqualTo("{\"a\"}");
    assertThat(ex.queryParam("nope")).isNull();
  }
}
