package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one engine client's wire: the request heads every caller used to write by hand, byte for byte. */
class EngineHttpTest {
  @Test
  void writesTheRequestHeadsTheCallersWroteByHand() throws Exception {
    assertThat(written(EngineHttp.request("GET", "/v1.41/events", false, null), null))
        .isEqualTo("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
    assertThat(written(EngineHttp.request("POST", "/v1.41/containers/create", true, "{}".getBytes()), "{}".getBytes()))
        .isEqualTo("POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  }

  @Test
  void aSmallBodyGoesOutInTheHeadsWriteALargeOneAfterIt() throws Exception {
    List<Integer> writes = new ArrayList<>();
    OutputStream counting = new OutputStream() {
      @Override
      public void write(int b) {
        writes.add(1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writes.add(len);
      }
    };
    byte[] small = "{\"Image\":\"busybox\"}".getBytes();
    EngineHttp.send(counting, EngineHttp.request("POST", "/v1.41/containers/create", true, small), small);
    assertThat(writes).as("one TLS record, not two").hasSize(1);
    writes.clear();
    byte[] large = new byte[EngineHttp.ONE_WRITE + 1];
    EngineHttp.send(counting, EngineHttp.request("POST", "/v1.41/images/load", true, large), large);
    assertThat(writes).as("a large body is not copied").hasSize(2).last().isEqualTo(large.length);
  }

  @Test
  void readsABodyByItsFramingOrToTheEnd() throws Exception {
    ByteArrayInputStream chunked = in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assertThat(EngineHttp.readBody(EngineHttp.head(chunked), chunked, 100)).asString().isEqualTo("abc");
    ByteArrayInputStream closed = in("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end");
    assertThat(EngineHttp.readBody(EngineHttp.head(closed), closed, 100)).asString().isEqualTo("to the end");
  }

  private static String written(HttpMessage request, byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EngineHttp.send(out, request, body);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
