package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.engine.ContainerSpec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streamed answers on the wire: chunked for HTTP/1.1 clients, one event per chunk, each event marked with its node. */
class DockerStreamsTest extends EndpointOnOneNode {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void chunkedOutputSendsOneChunkPerFlushAndTheLastChunkAtTheEnd() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ChunkedOutput out = new ChunkedOutput(wire);
    out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    out.flush(); // nothing written since: no empty chunk, which would end the body
    out.write("{\"b\":22}\n".getBytes(StandardCharsets.UTF_8));
    out.finish();
    assertThat(wire.toString(StandardCharsets.UTF_8)).isEqualTo("8\r\n{\"a\":1}\n\r\n9\r\n{\"b\":22}\n\r\n0\r\n\r\n");
  }

  @Test
  void eventsAreChunkedOnePerChunkAndCarryTheirNodesAttributes() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /v1.41/events HTTP/1.1\r\nHost: berth\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = new BufferedInputStream(s.getInputStream());
      String head = head(in);
      assertThat(head).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked").contains("Content-Type: application/json");
      Thread events = Thread.ofVirtual().start(this::keepMakingEvents);
      try {
        String chunk = chunk(in);
        assertThat(chunk).endsWith("\n").doesNotContain("\n{"); // exactly one event in the chunk
        JsonNode e = JSON.readTree(chunk);
        assertThat(e.path("Actor").path("Attributes").path("node.name").asText()).isEqualTo("node16");
        assertThat(e.path("Actor").path("Attributes").path("node.id").asText()).isEqualTo("node16-id");
        assertThat(e.path("Actor").path("Attributes").path("node.ip").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("Actor").path("Attributes").path("node.addr").asText()).startsWith("127.0.0.1:");
        assertThat(e.path("node").path("Name").asText()).as("the top-level node stays").isEqualTo("node16");
        assertThat(JSON.readTree(chunk(in)).path("Actor").path("Attributes").has("node.name")).as("the next event, its own chunk").isTrue();
      } finally {
        events.interrupt();
      }
    }
  }

  @Test
  void anHttp10ClientGetsTheStreamUnframedUntilTheConnectionCloses() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /events HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String head = head(new BufferedInputStream(s.getInputStream()));
      assertThat(head).startsWith("HTTP/1.1 200").doesNotContain("Transfer-Encoding").contains("Connection: close");
    }
  }

  /** The merge opens the node's stream as the head goes out: events are made until the test has read what it needs. */
  private void keepMakingEvents() {
    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
      cluster.engine.create(new ContainerSpec("c" + i, "berth/busybox:1", List.of("true"), List.of(), Map.of(), 0, 0, Map.of(), ""));
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String head(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) break;
      b.append((char) c);
    }
    return b.toString();
  }

  private static String chunk(InputStream in) throws IOException {
    String size = head(in, "\r\n");
    byte[] data = in.readNBytes(Integer.parseInt(size.strip(), 16));
    assertThat(head(in, "\r\n")).as("a chunk ends with CRLF").isEqualTo("\r\n");
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String head(InputStream in, String end) throws IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith(end)) {
      int c = in.read();
      if (c < 0) throw new IOException("ended");
      b.append((char) c);
    }
    return b.toString();
  }
}
