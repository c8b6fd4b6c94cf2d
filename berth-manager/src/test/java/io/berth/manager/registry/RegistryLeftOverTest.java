package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.PidFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry a SIGKILLed manager left running: faked by a {@code sleep} titled as the registry of a dir. */
class RegistryLeftOverTest {
  @TempDir
  Path dir;

  Process fakeRegistry(Path configDir) throws Exception {
    String title = "docker-registry serve " + configDir.resolve("config.yml");
    Process p = new ProcessBuilder("bash", "-c", "exec -a '" + title + "' sleep 987657").start();
    for (int i = 0; i < 250 && !PidFile.commandLine(p.pid()).startsWith("docker-registry"); i++) Thread.sleep(20);
    new PidFile(dir.resolve("registry.pid")).write(p.pid());
    return p;
  }

  @Test
  void theNextStartStopsTheRegistryOfItsOwnDir() throws Exception {
    Process left = fakeRegistry(dir);
    try {
      RegistryProcess.stopLeftOver(dir);
      assertThat(left.waitFor(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      left.destroyForcibly();
    }
  }

  @Test
  void aRegistryOfAnotherDirIsNotOurs() throws Exception {
    Process other = fakeRegistry(dir.resolve("elsewhere"));
    try {
      RegistryProcess.stopLeftOver(dir);
      assertThat(other.isAlive()).isTrue();
    } finally {
      other.destroyForcibly();
    }
  }
}
