package io.berth.manager.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.berth.cluster.Peers;
import io.berth.core.identity.Principal;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One request as handlers see it: path parameters, query, headers, body, and the TLS peer. */
public final class Request {
  private final HttpExchange exchange;
  private final Map<String, String> params;
  private Principal principal;
  private String target;

  Request(HttpExchange exchange, Map<String, String> params) {
    this.exchange = exchange;
    this.params = params;
  }

  /** A path parameter, URL-decoded. */
  public String param(String name) {
    return URLDecoder.decode(params.get(name), StandardCharsets.UTF_8);
  }

  /** A query parameter, if present (the first, when it is given more than once). */
  public Optional<String> query(String name) {
    return queries(name).stream().findFirst();
  }

  /** Every value of a query parameter given more than once ({@code scope=…&scope=…}), in order. */
  public List<String> queries(String name) {
    String q = exchange.getRequestURI().getRawQuery();
    if (q == null) return List.of();
    List<String> out = new ArrayList<>();
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (k.equals(name)) out.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /**
   * A cookie's value, if sent: the first of that name in the {@code Cookie} headers, without surrounding
   * quotes, and percent-decoded when it is encoded (a browser's {@code encodeURIComponent}).
   */
  public Optional<String> cookie(String name) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq < 0 || !pair.substring(0, eq).trim().equals(name)) continue;
        String v = pair.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        try {
          // a '+' is base64's own: encodeURIComponent would have sent %2B
          return Optional.of(v.contains("%") ? URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8) : v);
        } catch (IllegalArgumentException e) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** The body as a JSON object bound to {@code type}; anything else is a 400 ({@link BodyReader}). */
  public <T> T body(Class<T> type) throws IOException {
    return BodyReader.read(bytes(), type);
  }

  /** As {@link #body}, but an empty body is no value: for routes whose body is optional. */
  public <T> Optional<T> optionalBody(Class<T> type) throws IOException {
    return BodyReader.optional(bytes(), type);
  }

  /** The body as one JSON object, for routes that look at its fields themselves. */
  public ObjectNode object() throws IOException {
    return BodyReader.object(bytes());
  }

  /** The body as UTF-8 text (a manifest); other bytes are a 400. */
  public String text() throws IOException {
    return BodyReader.text(bytes());
  }

  /** The raw body, at most {@link BodyReader#MAX_BYTES}. */
  public byte[] bytes() throws IOException {
    return BodyReader.limited(exchange.getRequestBody());
  }

  /** The verified cluster peer on a mutual-TLS connection, if it presented a certificate. */
  public Optional<Peers.Peer> peer() {
    if (exchange instanceof HttpsExchange https) return Peers.of(https.getSSLSession());
    return Optional.empty();
  }

  public String remoteAddress() {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  /** Who makes this request, as the route table's guard found (anonymous until it ran). */
  public Principal principal() {
    return principal == null ? Principal.anonymous() : principal;
  }

  /** Set by the guard once it knows the caller. */
  public void principal(Principal p) {
    this.principal = p;
  }

  /** What the call acts on, for the audit: set by a handler, else the path parameters joined by spaces. */
  public String target() {
    if (target != null) return target;
    return String.join(" ", params.values().stream().map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).toList());
  }

  public void target(String t) {
    this.target = t;
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  public String path() {
    return exchange.getRequestURI().getPath();
  }
}
