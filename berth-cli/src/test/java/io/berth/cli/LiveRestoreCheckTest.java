package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.EngineException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveRestoreCheckTest {
  static final String ENGINE = "unix:///var/run/docker.sock";

  @Test
  void warnsWhenTheEngineSaysLiveRestoreIsOff() {
    assertThat(LiveRestoreCheck.warning(() -> Optional.of(false), ENGINE)).contains("engine-live-restore-off engine=" + ENGINE
        + ": the engine stops its containers when it restarts; set \"live-restore\": true in /etc/docker/daemon.json (docs/operate.md)");
  }

  @Test
  void staysQuietWhenItIsOnOrUnsaid() {
    assertThat(LiveRestoreCheck.warning(() -> Optional.of(true), ENGINE)).isEmpty();
    assertThat(LiveRestoreCheck.warning(Optional::empty, ENGINE)).isEmpty();
  }

  @Test
  void anUnreachableEngineIsLeftToTheAgentsStart() {
    assertThat(LiveRestoreCheck.warning(() -> {
      throw new EngineException(503, "cannot reach the Docker engine");
    }, ENGINE)).isEmpty();
  }
}
