package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PlainJson reads what a manager answers into the mapper's own trees, and leaves to jackson-core
 * (answers null) whatever it is not sure of, so JsonTree's words for broken JSON stay the mapper's.
 */
class PlainJsonTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "[]", "{}", "[{}]", "null", "true", "false", "\"x\"", "\"\"", "0", "-0", "-1", "2147483647", "2147483648",
      "-2147483648", "-2147483649", "999999999999999999", "-999999999999999999", "0.1", "-0.0", "1e300", "-2.5E-7",
      "1E+2", "1.0", "3.14159265358979323846264", "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{},\"e\":[]}",
      "{\"dup\":1,\"x\":2,\"dup\":3}", "[\"\\u00e9t\\u00e9 \\ud83d\\ude80\", \"tab\\tquote\\\"slash\\\\ \\/ \\b\\f\\n\\r\"]",
      "[\"</script>\", \"ünïcödé\", \"日本\", \"\\ud83d\"]", "  {\"spaces\" : [ 1 , 2 ] }  ", "[1] trailing words",
      "{\"a\":1}}", "1 x", "\t\r\n[\n1\n]\n", "{\"deep\":[[[[[[[[[[{\"x\":[]}]]]]]]]]]]}",
      "[{\"name\":\"n1\",\"state\":\"ready\",\"labels\":{\"zone\":\"a\"},\"changed_at\":\"2026-01-01T00:00:00Z\","
          + "\"engine\":{\"engine_version\":\"27.0\",\"cpus\":2,\"memory_bytes\":4294967296}}]"})
  void readsWhatTheMapperReadsIntoTheSameTree(String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonNode mine = PlainJson.read(bytes);
    JsonNode theirs = Json.MAPPER.readTree(bytes);
    assertThat(mine).as("PlainJson takes this shape itself").isNotNull();
    assertThat(mine).isEqualTo(theirs);
    assertThat(mine.getClass()).isEqualTo(theirs.getClass());
    if (theirs.isArray()) for (int i = 0; i < theirs.size(); i++) assertThat(mine.get(i).getClass()).isEqualTo(theirs.get(i).getClass());
  }

  @Test
  void onlyWhiteSpaceIsAMissingNode() {
    assertThat(PlainJson.read(" \n".getBytes(StandardCharsets.UTF_8)).isMissingNode()).isTrue();
    assertThat(PlainJson.read(new byte[0]).isMissingNode()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // Broken: jackson-core words the error.
      "{\"api\": ", "{\"api\" \"x\"}", "[1, 2", "nope", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "trueish",
      "nul", "[tru]", "\"open", "\"bad \\x escape\"", "\"ctl \u0001\"", "\"\\u12\"", "{1:2}", "'single'", "NaN",
      // Well-formed but its own: a BigInteger, a BOM.
      "12345678901234567890", "-1234567890123456789", "\uFEFF[1]"})
  void leavesWhatItIsNotSureOfToJacksonCore(String json) {
    assertThat(PlainJson.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void leavesBytesThatAreNotUtf8AndNestingPastJacksonsLimitToJacksonCore() throws IOException {
    assertThat(PlainJson.read(new byte[] {'"', (byte) 0xc3, '"'})).isNull();
    assertThat(PlainJson.read(new byte[] {'"', (byte) 0xff, '"'})).isNull();
    String deep = "[".repeat(PlainJson.MAX_DEPTH + 1) + "]".repeat(PlainJson.MAX_DEPTH + 1);
    assertThat(PlainJson.read(deep.getBytes(StandardCharsets.UTF_8))).isNull();
    String limit = "[".repeat(PlainJson.MAX_DEPTH) + "]".repeat(PlainJson.MAX_DEPTH);
    assertThat(PlainJson.read(limit.getBytes(StandardCharsets.UTF_8))).isEqualTo(Json.MAPPER.readTree(limit));
  }

  @Test
  void jsonTreeStillReadsAndRefusesAsTheMapperWhenPlainJsonIsUnsure() throws IOException {
    byte[] big = "[12345678901234567890]".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonTree.read(big)).isEqualTo(Json.MAPPER.readTree(big));
    byte[] broken = "[1,]".getBytes(StandardCharsets.UTF_8);
    String theirs = null;
    try {
      Json.MAPPER.readTree(broken);
    } catch (IOException e) {
      theirs = e.getMessage();
    }
    assertThat(theirs).isNotNull();
    assertThatThrownBy(() -> JsonTree.read(broken)).isInstanceOf(IOException.class).hasMessage(theirs);
  }

  @Test
  void randomNumbersGetTheMappersNodesAndValues() throws IOException {
    Random random = new Random(18);
    for (int i = 0; i < 2_000; i++) {
      String n = switch (i % 4) {
        case 0 -> Long.toString(random.nextLong() >> random.nextInt(64));
        case 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
        case 2 -> Integer.toString(random.nextInt());
        default -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(100000) + "e" + (random.nextInt(80) - 40);
      };
      byte[] bytes = ("[" + n + "]").getBytes(StandardCharsets.UTF_8);
      JsonNode mine = PlainJson.read(bytes);
      if (mine == null) continue; // past 18 digits: jackson-core's
      JsonNode theirs = Json.MAPPER.readTree(bytes);
      assertThat(mine).as(n).isEqualTo(theirs);
      assertThat(mine.get(0).getClass()).as(n).isEqualTo(theirs.get(0).getClass());
    }
  }
}
