package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.engine.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The first file of a streamed tar, as the engine's archive API answers for an upload's {@code from}. */
class TarStreamTest {
  @Test
  void copiesTheFirstRegularFileSkippingWhatComesBefore() throws IOException {
    byte[] content = new byte[70_000];
    Arrays.fill(content, (byte) 'x');
    byte[] tar = new TarWriter().directory("out", 0755).symlink("out/link", "x").file("out/droplet.tgz", 0644, content)
        .file("out/other", 0644, "no".getBytes()).finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(TarStream.firstFile(new ByteArrayInputStream(tar), out)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(content);
  }

  @Test
  void anArchiveWithoutAFileSaysSoAndOtherBytesAreNoTar() throws IOException {
    byte[] dirOnly = new TarWriter().directory("out", 0755).finish();
    assertThat(TarStream.firstFile(new ByteArrayInputStream(dirOnly), new ByteArrayOutputStream())).isFalse();
    assertThat(TarStream.firstFile(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())).isFalse();
    byte[] junk = new byte[512];
    Arrays.fill(junk, (byte) 'j');
    assertThatThrownBy(() -> TarStream.firstFile(new ByteArrayInputStream(junk), new ByteArrayOutputStream()))
        .hasMessage("not a tar archive");
  }

  @Test
  void aTruncatedFileIsAnError() {
    byte[] tar = new TarWriter().file("f", 0644, new byte[2000]).finish();
    byte[] cut = Arrays.copyOf(tar, 512 + 1000);
    assertThatThrownBy(() -> TarStream.firstFile(new ByteArrayInputStream(cut), new ByteArrayOutputStream()))
        .hasMessage("the archive ended inside its file");
  }
}
