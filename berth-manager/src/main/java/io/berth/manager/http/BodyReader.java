package io.berth.manager.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one reader of the Berth API's request bodies: every way a body can be wrong — absent, too
 * large, not UTF-8, not JSON, nested without end, {@code null}, not an object, a field of the
 * wrong type — is a 400 whose message names the field and what it got, never a Java name.
 */
public final class BodyReader {
  /** The largest body any route takes. */
  public static final int MAX_BYTES = 4 << 20;
  /** How much of an oversized body is read past the limit, so its client hears the answer; past it the connection is cut. */
  private static final long DRAIN_BYTES = 16L * MAX_BYTES;

  private BodyReader() {}

  /** At most {@link #MAX_BYTES} of {@code in}; more is a 400. */
  static byte[] limited(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      drain(in);
      throw new BerthException.Invalid("request body larger than " + (MAX_BYTES >> 20) + " MiB");
    }
    return bytes;
  }

  /**
   * Reads what is left of a body its route did not take, up to a bound, before the answer goes out: the JDK's
   * server cuts a connection with unread bytes, and its client, still sending, would never see the answer.
   */
  static void drain(InputStream in) throws IOException {
    long left = DRAIN_BYTES;
    for (long n; left > 0 && (n = in.skip(left)) > 0; ) left -= n;
  }

  /** The body as text; bytes that are not UTF-8 are a 400 rather than silently replaced. */
  public static String text(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new BerthException.Invalid("request body: not valid UTF-8");
    }
  }

  /** The body as one JSON object. */
  public static ObjectNode object(byte[] body) {
    if (body == null || body.length == 0) throw new BerthException.Invalid("request body: required, a JSON object");
    text(body); // Jackson would guess UTF-16 from zero bytes; the API speaks UTF-8 only
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BerthException.Invalid("request body: nested too deep or too large for a request");
    } catch (IOException e) {
      String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
      String where = e instanceof JacksonException j && j.getLocation() != null
          ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
      throw new BerthException.Invalid("request body: malformed JSON" + where + ": " + words(why));
    }
    if (tree == null || tree.isMissingNode()) throw new BerthException.Invalid("request body: required, a JSON object");
    if (!(tree instanceof ObjectNode o)) throw new BerthException.Invalid("request body: must be a JSON object, got " + JsonProblems.show(tree));
    return o;
  }

  /** The parser's first line without its note on where the object began, which names a parser setting. */
  private static String words(String why) {
    String first = why.lines().findFirst().orElse("");
    int marker = first.indexOf(" (start marker at");
    return marker < 0 ? first : first.substring(0, marker);
  }

  /** The body as a JSON object bound to {@code type}; each field that does not fit is named by its path. */
  public static <T> T read(byte[] body, Class<T> type) {
    ObjectNode tree = object(body);
    Problems p = new Problems();
    T value = bind(p, tree, type);
    p.throwIfAny();
    return value;
  }

  /** As {@link #read}, but an empty body is no value: for routes whose body is optional. */
  public static <T> Optional<T> optional(byte[] body, Class<T> type) {
    return body.length == 0 ? Optional.empty() : Optional.of(read(body, type));
  }

  /** The tree bound to {@code type}, or null with the problem recorded. */
  static <T> T bind(Problems p, JsonNode tree, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      JsonProblems.add(p, e, tree, JsonProblems.path(e.getPath()), false);
      return null;
    } catch (IOException e) {
      p.add("", "cannot read the request body");
      return null;
    }
  }
}
