package io.berth.manager.docker;

import io.berth.core.node.Node;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.NodeLink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a Docker route returns for the endpoint to write ({@link DockerEndpoint#write}): a value, bytes,
 * bytes of a known length written as they are made, a stream, or a request to forward to the node that holds what it names, whose answer is relayed.
 */
sealed interface Reply {
  /** A value, written as JSON. */
  record Json(int status, Object value) implements Reply {}

  /** Bytes as they are, with their type and any further headers: a node's answer passed on, a ping, an empty 201 or 204. */
  record Bytes(int status, String type, byte[] body, Map<String, String> headers) implements Reply {
    /** A node's JSON answer, its status and body passed on. */
    static Bytes of(NodeLink.Response r) {
      return new Bytes(r.status(), "application/json", r.body(), Map.of());
    }
  }

  /**
   * A body of a known {@code length} written as it is made ({@code docker ps} over many rows: {@link PsListing}),
   * rather than put together in one array first; the connection is kept, as for {@link Bytes}.
   */
  record Sized(int status, String type, long length, Body body) implements Reply {}

  /**
   * A 200 whose body is written as it comes, one chunk per flush to an HTTP/1.1 client; {@code done} runs however
   * it ends, before the last chunk.
   */
  record Stream(Body body, Runnable done) implements Reply {}

  /**
   * {@code request} sent to {@code node} and its answer relayed until either side closes (a {@code 101}
   * hijack both ways); {@code after} is told how the relay ended: null when it ended well.
   */
  record Forward(Node node, HttpMessage request, Consumer<Exception> after) implements Reply {
    Forward(Node node, HttpMessage request) {
      this(node, request, failure -> {});
    }
  }

  /** A stream's body, written onto the client's connection after the head. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** False when the answer took the connection over (a stream or a relay): it is closed after it. */
  default boolean keepsConnection() {
    return this instanceof Json || this instanceof Bytes || this instanceof Sized;
  }
}
