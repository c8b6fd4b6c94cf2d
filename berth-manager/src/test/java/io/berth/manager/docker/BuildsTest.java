package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BuildsTest {
  @Test
  void baseImagesComeFromTheDockerfileInTheContext() throws Exception {
    String dockerfile = "# syntax\nFROM --platform=linux/amd64 berth/busybox:1 AS base\nRUN true\nFROM base\nFROM scratch\n"
        + "from registry:5000/team/tool:2 as tool\nFROM ${BASE}\n";
    byte[] tar = tar("other.txt", "x", "./Dockerfile", dockerfile);
    assertThat(Builds.baseImages(tar, "Dockerfile")).containsExactly("berth/busybox:1", "registry:5000/team/tool:2");
    assertThat(Builds.baseImages(gzip(tar), "Dockerfile")).as("a compressed context").containsExactly("berth/busybox:1", "registry:5000/team/tool:2");
    assertThat(Builds.baseImages(tar("build/Dockerfile.dev", "FROM a:1\n"), "build/Dockerfile.dev")).containsExactly("a:1");
    assertThat(Builds.baseImages(tar("README", "hi"), "Dockerfile")).as("no Dockerfile: the strategy decides").isEmpty();
    assertThat(Builds.baseImages("not a tar at all".getBytes(StandardCharsets.UTF_8), "Dockerfile")).isEmpty();
  }

  /** A minimal ustar archive of text files, as the docker CLI sends a build context. */
  static byte[] tar(String... namesAndTexts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      byte[] data = namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
      byte[] header = new byte[512];
      put(header, 0, namesAndTexts[i]);
      put(header, 124, String.format("%011o", data.length));
      put(header, 257, "ustar");
      out.writeBytes(header);
      out.writeBytes(data);
      out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
