package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonTree reads and prints what Berth's mapper does, node type for node type and byte for byte. */
class JsonTreeTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "[]", "{}", "[{}]", "null", "true", "\"x\"", "0", "-1", "2147483647", "2147483648", "-9223372036854775808",
      "9223372036854775808", "123456789012345678901234567890", "0.1", "1e300", "-2.5E-7", "1.0", "3.14159265358979323846264",
      "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{},\"e\":[]}",
      "{\"dup\":1,\"x\":2,\"dup\":3}",
      "[\"\\u00e9t\\u00e9 \\ud83d\\ude80\", \"tab\\tquote\\\"slash\\\\\", \"</script>\", \"ünïcödé\"]",
      "[{\"name\":\"n1\",\"labels\":{\"zone\":\"a\",\"disk\":\"ssd\"},\"engine\":{\"cpus\":2,\"memory_bytes\":4294967296}}]",
      "  {\"spaces\" : [ 1 , 2 ] }  ", "[1] trailing words", "{\"deep\":[[[[[[[[[[{\"x\":[]}]]]]]]]]]]}"})
  void readsAndPrintsAsTheMapper(String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonNode mine = JsonTree.read(bytes);
    JsonNode theirs = Json.MAPPER.readTree(bytes);
    assertThat(mine).isEqualTo(theirs);
    assertThat(mine.getClass()).isEqualTo(theirs.getClass());
    assertThat(JsonTree.pretty(mine)).isEqualTo(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(theirs));
  }

  @Test
  void keepsEachNumbersNodeType() throws IOException {
    byte[] bytes = "[1, 4294967296, 98765432109876543210, 0.5]".getBytes(StandardCharsets.UTF_8);
    JsonNode mine = JsonTree.read(bytes);
    JsonNode theirs = Json.MAPPER.readTree(bytes);
    for (int i = 0; i < theirs.size(); i++) assertThat(mine.get(i).getClass()).isEqualTo(theirs.get(i).getClass());
  }

  @Test
  void nothingButSpaceIsAMissingNodeAsTheMappersIs() throws IOException {
    JsonNode mine = JsonTree.read("  \n".getBytes(StandardCharsets.UTF_8));
    assertThat(mine).isEqualTo(Json.MAPPER.readTree("  \n".getBytes(StandardCharsets.UTF_8)));
    assertThat(mine.isMissingNode()).isTrue();
    assertThat(JsonTree.pretty(JsonTree.read(new byte[0]))).isEqualTo(Json.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsString(Json.MAPPER.readTree(new byte[0])));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"api\": ", "{\"api\" \"x\"}", "[1, 2", "nope", "{\"a\":1}}"})
  void aBrokenFileFailsWithTheMappersWords(String json) throws IOException {
    Path file = dir.resolve("manager.json");
    Files.writeString(file, json);
    String theirs;
    try {
      JsonNode n = Json.MAPPER.readTree(file.toFile());
      assertThat(JsonTree.read(file.toFile())).isEqualTo(n); // "{...}}": both stop after the first value
      return;
    } catch (IOException e) {
      theirs = e.getMessage();
    }
    assertThatThrownBy(() -> JsonTree.read(file.toFile())).isInstanceOf(IOException.class).hasMessage(theirs);
  }
}
