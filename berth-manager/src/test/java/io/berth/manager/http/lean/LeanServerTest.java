package io.berth.manager.http.lean;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lean server's HTTP/1.1: bodies both ways, response framings, HEAD, HTTP/1.0, bad requests and failing handlers. */
@Timeout(180) // a guard against a hang (a stream never flushed), not a timed assertion
class LeanServerTest {
  private final CountDownLatch secondPiece = new CountDownLatch(1);
  private LeanServer server;

  /** Routes by path: each answers in one of the ways {@code sendResponseHeaders} allows. */
  private final HttpHandler handler = ex -> {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/echo" -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().set("X-Protocol", ex.getProtocol());
          send(ex, 200, ex.getRequestMethod() + " " + new String(body, StandardCharsets.UTF_8) + " " + ex.getRequestURI().getRawQuery());
        }
        case "/stream" -> {
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write("first\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          secondPiece.await();
          out.write("second\n".getBytes(StandardCharsets.UTF_8));
        }
        case "/empty" -> ex.sendResponseHeaders(204, -1);
        case "/boom" -> throw new IllegalStateException("secret detail");
        case "/short" -> {
          ex.sendResponseHeaders(200, 10);
          ex.getResponseBody().write("abc".getBytes(StandardCharsets.UTF_8));
        }
        default -> send(ex, 404, "no " + path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private static void send(HttpExchange ex, int code, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(code, b.length);
    ex.getResponseBody().write(b);
  }

  @BeforeEach
  void start() throws IOException {
    server = LeanTls.start(handler, Duration.ofMinutes(5));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RawClient raw() throws IOException {
    return new RawClient(LeanTls.NODE.sslContext(), server.getAddress());
  }

  @Test
  void aCountedAndAChunkedRequestBodyOnOneConnection() throws IOException {
    try (RawClient c = raw()) {
      var first = c.send("POST /echo?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
      var second = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n").read();
      var third = c.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").read();

      assertThat(first.body()).isEqualTo("POST hello a=1");
      assertThat(first.headers()).containsEntry("content-length", "14").containsEntry("x-protocol", "HTTP/1.1");
      assertThat(second.body()).isEqualTo("POST hello world null");
      assertThat(third.body()).isEqualTo("GET  null");
    }
  }

  @Test
  void theJdkClientSendsAChunkedBodyAndReadsAStreamPieceByPiece() throws Exception {
    HttpClient client = LeanTls.client(LeanTls.NODE.sslContext());
    byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    var echoed = client.send(HttpRequest.newBuilder(LeanTls.uri(server, "/echo"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.body()).isEqualTo("POST " + "x".repeat(100_000) + " null");

    HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(LeanTls.uri(server, "/stream")).build(),
        HttpResponse.BodyHandlers.ofLines());
    Iterator<String> lines = stream.body().iterator();
    // The handler writes its second piece only once the first has reached us: unflushed, this would wait forever.
    assertThat(lines.next()).isEqualTo("first");
    secondPiece.countDown();
    assertThat(lines.next()).isEqualTo("second");
    assertThat(lines.hasNext()).isFalse();
    assertThat(stream.headers().firstValue("transfer-encoding")).hasValue("chunked");
  }

  @Test
  void noBodyAndHeadAnswersKeepTheConnection() throws IOException {
    try (RawClient c = raw()) {
      var empty = c.send("DELETE /empty HTTP/1.1\r\nHost: x\r\n\r\n").read();
      var head = c.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
      var after = c.send("GET /echo?after HTTP/1.1\r\nHost: x\r\n\r\n").read();

      assertThat(empty.status()).isEqualTo(204);
      assertThat(empty.headers()).doesNotContainKey("content-length").doesNotContainKey("transfer-encoding");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", "10"); // "HEAD  null", as the handler counted it
      assertThat(after.body()).isEqualTo("GET  after"); // nothing of a HEAD body was sent before it
    }
  }

  @Test
  void connectionCloseAndHttp10EndTheConnectionAfterTheAnswer() throws IOException {
    try (RawClient c = raw()) {
      var r = c.send("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
      assertThat(r.headers()).containsEntry("connection", "close");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = raw()) {
      var r = c.send("GET /echo HTTP/1.0\r\n\r\n").read();
      assertThat(r.body()).isEqualTo("GET  null");
      assertThat(r.headers()).containsEntry("x-protocol", "HTTP/1.0");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = raw()) { // a stream to an HTTP/1.0 client: no chunks, the end of the connection ends it
      secondPiece.countDown();
      var r = c.send("GET /stream HTTP/1.0\r\n\r\n").read();
      assertThat(r.headers()).doesNotContainKey("transfer-encoding").doesNotContainKey("content-length");
      assertThat(r.body()).isEqualTo("first\nsecond\n");
    }
  }

  @Test
  void malformedRequestsAre400AndClose() throws IOException {
    for (String bad : new String[] {"GARBAGE\r\n\r\n", "GET /echo HTTP/1.1\r\nno colon here\r\n\r\n", "GET /echo HTTP/2.0\r\n\r\n",
        "GET /echo HTTP/1.1\r\n : empty name\r\n\r\n", "POST /echo HTTP/1.1\r\nContent-Length: -3\r\n\r\n",
        "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "GET bad\u0001target HTTP/1.1\r\n\r\n"}) {
      try (RawClient c = raw()) {
        var r = c.send(bad).read();
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.body()).as(bad).contains("\"name\":\"InvalidRequest\"");
        assertThat(c.closedByServer()).as(bad).isTrue();
      }
    }
  }

  @Test
  void anOversizedHeadIs431() throws IOException {
    try (RawClient c = raw()) {
      var r = c.send("GET /echo HTTP/1.1\r\nX-Big: " + "b".repeat(RequestHead.MAX_BYTES) + "\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = raw()) { // just under the limit is fine
      var r = c.send("GET /echo HTTP/1.1\r\nX-Big: " + "b".repeat(RequestHead.MAX_BYTES - 100) + "\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void aHandlerThatThrowsIsA500WithoutItsDetailAndTheConnectionCloses() throws IOException {
    try (RawClient c = raw()) {
      var r = c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body()).contains("InternalError").doesNotContain("secret").doesNotContain("IllegalState").doesNotContain("at io.");
      assertThat(r.headers()).containsEntry("connection", "close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aBodyShorterThanPromisedClosesTheConnection() throws IOException {
    try (RawClient c = raw()) {
      c.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.line()).startsWith("HTTP/1.1 200");
      while (!c.line().isEmpty()) {} // headers
      assertThat(c.line()).isEqualTo("abc"); // then the end, not seven more bytes: the client sees the body cut
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinueIsAnsweredBeforeTheBody() throws IOException {
    try (RawClient c = raw()) {
      c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      var cont = c.read();
      var r = c.send("hi").read();
      assertThat(cont.status()).isEqualTo(100);
      assertThat(r.body()).isEqualTo("POST hi null");
    }
  }
}
