package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A store a restore did not finish is never served: the manager refuses it before it writes anything. */
class ManagerRestoringTest {
  @RegisterExtension final TestStore store = new TestStore();
  @TempDir Path dir;

  @Test
  void aManagerRefusesToStartOnAnUnfinishedRestore() {
    store.get().put("/berth/restoring", "restoring".getBytes());
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    ManagerConfig config = new ManagerConfig(any, any, null, dir, "sqlite:///x/berth.db", Duration.ofSeconds(2),
        Duration.ofMillis(500), Strategy.SPREAD, Scheduler.FILTERS, null, null);

    assertThatThrownBy(() -> Manager.start(config, store.get(), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store sqlite:///x/berth.db holds an unfinished restore (/berth/restoring): run 'berth restore FILE"
            + " --store sqlite:///x/berth.db --force' again before starting a manager on it");
    assertThat(store.get().range("/berth/", 0).items()).as("nothing written").hasSize(1);
  }
}
