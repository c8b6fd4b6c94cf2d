package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Reads the plain JSON a manager answers into the trees {@link JsonTree} makes, without jackson-core's
 * parser: its first use set up BigDecimal (whose static tables alone took ~13 ms of a quick command
 * here) and buffers a client reading a few KB does not need. It takes only what it is sure of (UTF-8
 * without a BOM; integers that fit a long; the escapes JSON has; at most {@link #MAX_DEPTH} levels)
 * and answers {@code null} for anything else, well-formed or not, so that jackson-core reads it and
 * words its errors: the two never disagree on a tree, they only differ in what they are fast at.
 */
final class PlainJson {
  /** jackson-core's default limit of nesting (StreamReadConstraints): past it, its error is the answer. */
  static final int MAX_DEPTH = 1000;
  /** Below jackson-core's default limit of a string's length, so that no limit of its is passed here. */
  static final int MAX_LENGTH = 10_000_000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] in;
  private int at;

  private PlainJson(byte[] in) {
    this.in = in;
  }

  /** The tree of the first value in {@code json}, a missing node when it holds only white space; {@code null} when unsure. */
  static JsonNode read(byte[] json) {
    if (json.length > MAX_LENGTH) return null;
    PlainJson p = new PlainJson(json);
    try {
      p.space();
      if (p.at == json.length) return MissingNode.getInstance();
      return p.value(0);
    } catch (Unsure e) {
      return null;
    }
  }

  /** Not a shape this reader takes: jackson-core reads the input instead. */
  private static final class Unsure extends Exception {
    private static final Unsure INSTANCE = new Unsure();

    private Unsure() {
      super(null, null, false, false);
    }
  }

  private JsonNode value(int depth) throws Unsure {
    if (at == in.length) throw Unsure.INSTANCE;
    return switch (in[at]) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> NODES.textNode(string());
      case 't' -> word("true", NODES.booleanNode(true));
      case 'f' -> word("false", NODES.booleanNode(false));
      case 'n' -> word("null", NODES.nullNode());
      default -> number();
    };
  }

  private ObjectNode object(int depth) throws Unsure {
    if (depth > MAX_DEPTH) throw Unsure.INSTANCE;
    ObjectNode object = NODES.objectNode();
    at++;
    space();
    if (next() == '}') {
      at++;
      return object;
    }
    while (true) {
      if (next() != '"') throw Unsure.INSTANCE;
      String name = string();
      space();
      if (next() != ':') throw Unsure.INSTANCE;
      at++;
      space();
      object.set(name, value(depth)); // a second equal key takes the first one's place, as Jackson's tree does
      space();
      byte b = next();
      at++;
      if (b == '}') return object;
      if (b != ',') throw Unsure.INSTANCE;
      space();
    }
  }

  private ArrayNode array(int depth) throws Unsure {
    if (depth > MAX_DEPTH) throw Unsure.INSTANCE;
    ArrayNode array = NODES.arrayNode();
    at++;
    space();
    if (next() == ']') {
      at++;
      return array;
    }
    while (true) {
      array.add(value(depth));
      space();
      byte b = next();
      at++;
      if (b == ']') return array;
      if (b != ',') throw Unsure.INSTANCE;
      space();
    }
  }

  /** A string's text; the cursor on its opening quote. */
  private String string() throws Unsure {
    int start = ++at;
    while (at < in.length && in[at] != '"' && in[at] != '\\' && (in[at] & 0xff) >= 0x20) at++;
    if (at == in.length) throw Unsure.INSTANCE;
    if (in[at] == '"') return utf8(start, at++);
    StringBuilder text = new StringBuilder(utf8(start, at));
    while (true) {
      if (at == in.length || (in[at] & 0xff) < 0x20) throw Unsure.INSTANCE; // unescaped control characters: Jackson's error
      byte b = in[at];
      if (b == '"') {
        at++;
        return text.toString();
      }
      if (b != '\\') {
        int run = at;
        while (at < in.length && in[at] != '"' && in[at] != '\\' && (in[at] & 0xff) >= 0x20) at++;
        text.append(utf8(run, at));
        continue;
      }
      if (++at == in.length) throw Unsure.INSTANCE;
      switch (in[at++]) {
        case '"' -> text.append('"');
        case '\\' -> text.append('\\');
        case '/' -> text.append('/');
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> text.append(hex4());
        default -> throw Unsure.INSTANCE;
      }
    }
  }

  private char hex4() throws Unsure {
    if (at + 4 > in.length) throw Unsure.INSTANCE;
    int c = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in[at++], 16);
      if (d < 0) throw Unsure.INSTANCE;
      c = c << 4 | d;
    }
    return (char) c;
  }

  /** Bytes as UTF-8; bytes that are not (decoded to U+FFFD) are jackson-core's to refuse. */
  private String utf8(int from, int to) throws Unsure {
    String s = new String(in, from, to - from, StandardCharsets.UTF_8);
    if (s.indexOf('\uFFFD') >= 0) throw Unsure.INSTANCE;
    return s;
  }

  /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, as JSON has it: an int, a long or a double node. */
  private JsonNode number() throws Unsure {
    int start = at;
    if (next() == '-') at++;
    int digits = digits();
    if (digits == 0 || (digits > 1 && in[at - digits] == '0')) throw Unsure.INSTANCE; // leading zeros: Jackson's error
    boolean whole = true;
    if (next() == '.') {
      at++;
      if (digits() == 0) throw Unsure.INSTANCE;
      whole = false;
    }
    if (next() == 'e' || next() == 'E') {
      at++;
      if (next() == '+' || next() == '-') at++;
      if (digits() == 0) throw Unsure.INSTANCE;
      whole = false;
    }
    if (!ends()) throw Unsure.INSTANCE;
    String text = new String(in, start, at - start, StandardCharsets.ISO_8859_1);
    if (!whole) {
      if (text.length() > 100) throw Unsure.INSTANCE; // Jackson's limits on numbers' lengths are its own to apply
      return NODES.numberNode(Double.parseDouble(text));
    }
    if (digits > 18) throw Unsure.INSTANCE; // may not fit a long: a BigInteger is jackson-core's to make
    long n = Long.parseLong(text);
    return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
  }

  private int digits() {
    int start = at;
    while (at < in.length && in[at] >= '0' && in[at] <= '9') at++;
    return at - start;
  }

  /** {@code literal} at the cursor, ended as a token ends; else unsure ("trueish" is jackson-core's error). */
  private JsonNode word(String literal, JsonNode node) throws Unsure {
    for (int i = 0; i < literal.length(); i++, at++) {
      if (at == in.length || in[at] != literal.charAt(i)) throw Unsure.INSTANCE;
    }
    if (!ends()) throw Unsure.INSTANCE;
    return node;
  }

  /** Whether a scalar may end here: at the end, white space or a structural character. */
  private boolean ends() {
    if (at == in.length) return true;
    byte b = in[at];
    return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',' || b == ']' || b == '}';
  }

  private byte next() {
    return at < in.length ? in[at] : 0;
  }

  private void space() {
    while (at < in.length && (in[at] == ' ' || in[at] == '\n' || in[at] == '\r' || in[at] == '\t')) at++;
  }
}
