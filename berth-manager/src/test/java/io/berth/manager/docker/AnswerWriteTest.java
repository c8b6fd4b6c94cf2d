package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A whole answer of the Docker endpoint: the same bytes as ever, a small one in a single write (one segment to the client). */
class AnswerWriteTest {
  @Test
  void aSmallAnswerIsOneWriteOfTheSameBytes() throws Exception {
    int[] writes = {0};
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void write(byte[] b, int off, int len) {
        writes[0]++;
        super.write(b, off, len);
      }
    };
    DockerEndpoint.send(out, 201, "application/json", "{\"Id\":\"abc\",\"Warnings\":[]}".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(writes[0]).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        + "Content-Length: 26\r\nApi-Version: 1.41\r\nServer: Berth\r\n\r\n{\"Id\":\"abc\",\"Warnings\":[]}");
  }
}
