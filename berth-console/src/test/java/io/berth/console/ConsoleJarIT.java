package io.berth.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar Maven built holds the console: index.html, the hashed assets it names, and the list the manager reads. */
class ConsoleJarIT {
  private static Path jar() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      return s.filter(p -> p.getFileName().toString().matches("berth-console-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no berth-console jar in target/"));
    }
  }

  @Test
  void jarHoldsTheIndexAndTheAssetsItNames() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      String root = "io/berth/console/";
      assertThat(jar.getEntry(root + "index.html")).isNotNull();
      String html = new String(jar.getInputStream(jar.getEntry(root + "index.html")).readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\"(assets/[\\w-]+-[A-Z0-9]{8}\\.(js|css))\"").matcher(html);
      int named = 0;
      while (m.find()) {
        named++;
        assertThat(jar.getEntry(root + m.group(1))).as(m.group(1)).isNotNull();
      }
      assertThat(named).as("index.html names its script and stylesheet").isEqualTo(2);
      List<String> listed = new String(jar.getInputStream(jar.getEntry(root + "files")).readAllBytes(), StandardCharsets.UTF_8)
          .lines().toList();
      assertThat(listed).contains("index.html").hasSize(3);
      for (String f : listed) assertThat(jar.getEntry(root + f)).as(f).isNotNull();
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.contains("node_modules"))).isEmpty();
    }
  }
}
