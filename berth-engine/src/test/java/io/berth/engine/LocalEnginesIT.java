package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link LocalEngines} fixture itself, as nodes 51 and 52 so it collides with no one. */
class LocalEnginesIT {
  private Path dir;

  // not @TempDir: JUnit warns about every symlink in the engines' layers while deleting it
  @BeforeEach
  void createDir() throws Exception {
    dir = Files.createTempDirectory("berth-engines-it-");
  }

  @AfterEach
  void deleteDir() {
    LocalEngines.deleteQuietly(dir);
  }

  @Test
  void startsSeparateEnginesWithTheirOwnIdentityBridgeAndAddress() {
    try (var engines = LocalEngines.builder().nodes(2).firstNode(51).baseDir(dir).start()) {
      LocalEngine a = engines.node(51);
      LocalEngine b = engines.node(52);
      assertThat(a.socket()).isEqualTo("unix://" + dir.resolve("node51/docker.sock"));
      assertThat(a.address()).isEqualTo("127.0.0.151");
      assertThat(b.address()).isEqualTo("127.0.0.152");
      EngineInfo infoA = a.engine().info();
      EngineInfo infoB = b.engine().info();
      assertThat(infoA.id()).isNotEqualTo(infoB.id()); // each has its own key.json
      assertThat(infoA.labels()).isEqualTo(Map.of("node", "node51"));
      assertThat(infoB.labels()).isEqualTo(Map.of("node", "node52"));
      assertThat(a.engine().hasImage(BusyboxImage.REFERENCE)).isTrue();
      assertThat(b.engine().hasImage(BusyboxImage.REFERENCE)).isTrue();
      assertThat(HostNetwork.linkExists("berthbr51")).isTrue();
    }
    assertThat(HostNetwork.linkExists("berthbr51")).isFalse();
    assertThat(HostNetwork.dockerdUsingBridge("berthbr52")).isEmpty();
    assertThat(Files.exists(dir.resolve("node51/data"))).as("data kept in a given base dir").isTrue();
  }

  @Test
  void adoptsEnginesAlreadyRunningInTheBaseDirAndLeavesThemRunning() {
    try (var first = LocalEngines.builder().nodes(1).firstNode(53).baseDir(dir).start()) {
      String id = first.node(53).engine().info().id();
      try (var second = LocalEngines.builder().nodes(1).firstNode(53).baseDir(dir).start()) {
        assertThat(second.node(53).engine().info().id()).isEqualTo(id);
      }
      first.node(53).engine().ping(); // the adopter did not stop it
    }
  }
}
