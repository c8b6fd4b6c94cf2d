package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamsTest {
  /** Records the most bytes any one read asked for: what a reader above it holds as its buffer. */
  private static final class Asked extends FilterInputStream {
    int most;

    Asked(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      most = Math.max(most, len);
      return super.read(b, off, len);
    }
  }

  private static String event(String id, String action, int labelBytes) {
    return "{\"Type\":\"container\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"" + id + "\",\"Attributes\":{\"label\":\""
        + "x".repeat(labelBytes) + "\"}},\"time\":1765000000}\n";
  }

  @Test
  void theParserReadsTheStreamInSmallPiecesAndStillReadsEventsLargerThanThem() throws IOException {
    String stream = event("a", "start", 10) + event("b", "die", 3 * EventStreams.BUFFER) + event("c", "destroy", 200);
    Asked socket = new Asked(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));

    List<String> seen = new ArrayList<>();
    try (MappingIterator<JsonNode> events = EventStreams.events(socket)) {
      while (events.hasNextValue()) {
        JsonNode e = events.nextValue();
        seen.add(e.path("Actor").path("ID").asText() + " " + e.path("Action").asText() + " "
            + e.path("Actor").path("Attributes").path("label").asText().length());
      }
    }

    assertThat(seen).containsExactly("a start 10", "b die " + 3 * EventStreams.BUFFER, "c destroy 200");
    assertThat(socket.most).as("the parser's read buffer").isLessThanOrEqualTo(EventStreams.BUFFER);
  }

  @Test
  void theSocketIsBufferedInSmallPiecesToo() throws IOException {
    Asked socket = new Asked(new ByteArrayInputStream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    InputStream in = EventStreams.buffered(socket);

    HttpMessage head = HttpMessage.read(in);

    assertThat(head.status()).isEqualTo(200);
    assertThat(socket.most).as("the buffer over the socket").isLessThanOrEqualTo(EventStreams.BUFFER);
  }
}
