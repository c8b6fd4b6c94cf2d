package io.berth.manager.docker;

import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.NodeLink;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One request to the Docker endpoint with its connection and its caller, for a route to answer or take over. */
record Exchange(HttpMessage request, byte[] body, Socket client, InputStream clientIn, Principal caller, Answer answer) {
  private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

  /** The status a request was answered with, as seen on its way out (0 until then). */
  static final class Answer {
    volatile int status;
    /** When the status was seen ({@link System#nanoTime}), for the request's timing. */
    volatile long headNanos;
  }

  Exchange(HttpMessage request, byte[] body, Socket client, InputStream clientIn) {
    this(request, body, client, clientIn, Callers.LOCAL, new Answer());
  }

  /** What a relay's {@code after} is told when its client left before the answer ended ({@link NodeLink#forward}). */
  static final class ClientLeft extends IOException {
    ClientLeft() {
      super("the client left before the answer ended", null);
    }
  }

  /**
   * Forwards the request (or {@code request}, its target replaced) to the node and relays the answer; see {@link NodeLink#forward}.
   * Throws {@link ClientLeft} when the client left before the answer ended.
   */
  void forward(NodeLink link, Node node, HttpMessage request) throws IOException {
    if (!link.forward(node, request, body, client, clientIn, this::answered)) throw new ClientLeft();
  }

  /** Notes the status of an answer written elsewhere (a forwarded one). */
  void answered(int status) {
    if (answer.status == 0) {
      answer.headNanos = System.nanoTime();
      answer.status = status;
    }
  }

  /** The path without the {@code /v1.NN} prefix and without the query. */
  String path() {
    String t = request.target();
    int q = t.indexOf('?');
    String p = q < 0 ? t : t.substring(0, q);
    Matcher m = VERSIONED.matcher(p);
    return m.matches() ? m.group(2) : p;
  }

  /** The request's target as an engine at this endpoint's API version takes it: {@code /v1.41/PATH?QUERY}. */
  String versioned() {
    return "/v" + DockerEndpoint.API_VERSION + path() + (query().isEmpty() ? "" : "?" + query());
  }

  String query() {
    String t = request.target();
    int q = t.indexOf('?');
    return q < 0 ? "" : t.substring(q + 1);
  }

  String queryParam(String name) {
    for (String pair : query().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The client's stream; the status line of what is written through it is noted for the audit. */
  OutputStream out() throws IOException {
    OutputStream raw = client.getOutputStream();
    return new FilterOutputStream(raw) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (answer.status == 0 && len >= 12 && b[off] == 'H' && b[off + 8] == ' ') {
          String line = new String(b, off + 9, 3, StandardCharsets.ISO_8859_1);
          if (line.chars().allMatch(Character::isDigit)) answered(Integer.parseInt(line));
        }
        raw.write(b, off, len);
      }
    };
  }
}
