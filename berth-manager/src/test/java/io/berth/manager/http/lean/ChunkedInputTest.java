package io.berth.manager.http.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one chunked-body decoder, strict (request bodies) and lenient (engines' answers): what both take, and where they differ. */
class ChunkedInputTest {
  static InputStream wire(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String all(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void bothReadChunksWithExtensionsAndTrailersAndLeaveTheNextMessage() throws IOException {
    for (Function<InputStream, ChunkedInput> mode : List.<Function<InputStream, ChunkedInput>>of(ChunkedInput::strict, ChunkedInput::lenient)) {
      InputStream in = wire("3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\nGET /next");
      ChunkedInput body = mode.apply(in);
      assertThat(body.done()).isFalse();
      assertThat(all(body)).isEqualTo("abc0123456789");
      assertThat(body.done()).isTrue();
      assertThat(all(in)).as("the connection stays in step").isEqualTo("GET /next");
    }
  }

  @Test
  void bothRefuseAMalformedChunkSizeAsAnIoException() {
    for (String size : new String[] {"zz", "-5", "+5", "", "1234567890abcdef"}) {
      assertThatThrownBy(() -> all(ChunkedInput.strict(wire(size + "\r\nhello\r\n0\r\n\r\n")))).as(size)
          .isInstanceOf(IOException.class).hasMessage("malformed chunk size");
      assertThatThrownBy(() -> all(ChunkedInput.lenient(wire(size + "\r\nhello\r\n0\r\n\r\n")))).as(size)
          .isInstanceOf(IOException.class).hasMessage("malformed chunk size");
    }
  }

  @Test
  void aCutConnectionIsAnErrorWhenStrictAndTheBodysEndWhenLenient() throws IOException {
    Map<String, String> cuts = Map.of("5\r\nab", "ab", "5\r\nabcde\r\n", "abcde", "5\r\nabcde\r\n0", "abcde",
        "5\r\nabcde\r\n0\r\nX-T: 1\r\n", "abcde");
    for (var cut : cuts.entrySet()) {
      assertThatThrownBy(() -> all(ChunkedInput.strict(wire(cut.getKey())))).as(cut.getKey()).isInstanceOf(EOFException.class);
      ChunkedInput lenient = ChunkedInput.lenient(wire(cut.getKey()));
      assertThat(all(lenient)).as(cut.getKey()).isEqualTo(cut.getValue());
      assertThat(lenient.done()).as(cut.getKey()).isTrue();
    }
  }

  @Test
  void aChunkWithoutItsCrlfIsAnErrorWhenStrictAndPassedOverWhenLenient() throws IOException {
    String noCrlf = "3\r\nabc2\r\nde\r\n0\r\n\r\n";
    assertThatThrownBy(() -> all(ChunkedInput.strict(wire(noCrlf)))).isInstanceOf(IOException.class)
        .hasMessage("malformed chunk: no CRLF after its data");
    assertThat(all(ChunkedInput.lenient(wire(noCrlf)))).isEqualTo("abcde");
    String strayBlank = "\r\n3\r\nabc\r\n0\r\n\r\n";
    assertThatThrownBy(() -> all(ChunkedInput.strict(wire(strayBlank)))).isInstanceOf(IOException.class).hasMessage("malformed chunk size");
    assertThat(all(ChunkedInput.lenient(wire(strayBlank)))).isEqualTo("abc");
  }

  @Test
  void anOverlongLineIsRefusedEitherWay() {
    String longExtension = "3;" + "e".repeat(5000) + "\r\nabc\r\n0\r\n\r\n";
    assertThatThrownBy(() -> all(ChunkedInput.strict(wire(longExtension)))).hasMessage("chunk line too long");
    assertThatThrownBy(() -> all(ChunkedInput.lenient(wire(longExtension)))).hasMessage("chunk line too long");
  }
}
