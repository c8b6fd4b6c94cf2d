package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpMessageTest {
  static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void readsAHeadAndAContentLengthBodyAndLeavesTheNextRequest() throws Exception {
    InputStream in = in("POST /v1.41/containers/create?name=web HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET /_ping HTTP/1.1\r\n\r\n");
    HttpMessage m = HttpMessage.read(in);
    assertThat(m.method()).isEqualTo("POST");
    assertThat(m.target()).isEqualTo("/v1.41/containers/create?name=web");
    assertThat(new String(m.readBody(in, 100), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(HttpMessage.read(in).target()).isEqualTo("/_ping");
    assertThat(HttpMessage.read(in)).as("clean EOF").isNull();
  }

  @Test
  void deChunksABodyWithExtensionsAndTrailers() throws Exception {
    InputStream in = in("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
        + "GET /next HTTP/1.1\r\n\r\n");
    HttpMessage m = HttpMessage.read(in);
    assertThat(m.isChunked()).isTrue();
    assertThat(new String(m.readBody(in, 100), StandardCharsets.UTF_8)).isEqualTo("abcde");
    assertThat(HttpMessage.read(in).startLine).as("keep-alive stays in step after trailers").isEqualTo("GET /next HTTP/1.1");
  }

  @Test
  void knowsAHijackRequestAndRewritesHeaders() throws Exception {
    HttpMessage m = HttpMessage.read(in("POST /exec/1/start HTTP/1.1\nConnection: Upgrade\nUpgrade: tcp\n\n"));
    assertThat(m.wantsUpgrade()).isTrue();
    HttpMessage closed = m.withHeader("Connection", "close").withHeader("Upgrade", null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    closed.write(out);
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("POST /exec/1/start HTTP/1.1\r\nConnection: close\r\n\r\n");
    assertThat(HttpMessage.read(in("HTTP/1.1 101 UPGRADED\r\n\r\n")).status()).isEqualTo(101);
  }
}
