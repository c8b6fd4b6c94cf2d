package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineDiscoveryTest {
  @Test
  void nodesListsExpandRangesAsSwarmDid() {
    assertThat(EngineDiscovery.addresses("nodes://10.0.0.[1:3]:2375,10.0.0.9:2376"))
        .containsExactly("10.0.0.1:2375", "10.0.0.2:2375", "10.0.0.3:2375", "10.0.0.9:2376");
    assertThat(EngineDiscovery.addresses("nodes://10.0.[1:2].[5:6]:2375"))
        .containsExactly("10.0.1.5:2375", "10.0.1.6:2375", "10.0.2.5:2375", "10.0.2.6:2375");
    assertThat(EngineDiscovery.addresses("nodes://h:1,h:1")).as("each once").containsExactly("h:1");
  }

  @Test
  void fileListsAreOnePerLineWithComments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("engines");
    Files.writeString(file, "# the build farm\n127.0.0.[11:12]:2375\n\n  127.0.0.20:2375   # spare\n");
    assertThat(EngineDiscovery.addresses("file://" + file)).containsExactly("127.0.0.11:2375", "127.0.0.12:2375", "127.0.0.20:2375");
  }

  @Test
  void badListsSayWhatIsWrong(@TempDir Path dir) {
    assertThatThrownBy(() -> EngineDiscovery.addresses("consul://x")).hasMessageContaining("nodes://HOST:PORT[,…] or file:///PATH");
    assertThatThrownBy(() -> EngineDiscovery.addresses("nodes://10.0.0.1")).hasMessageContaining("needs HOST:PORT");
    assertThatThrownBy(() -> EngineDiscovery.addresses("nodes://10.0.0.1:99999")).hasMessageContaining("no valid port");
    assertThatThrownBy(() -> EngineDiscovery.addresses("nodes://10.0.0.[5:1]:2375")).hasMessageContaining("bad range [5:1]");
    assertThatThrownBy(() -> EngineDiscovery.addresses("file://" + dir.resolve("missing"))).hasMessageContaining("cannot read the engine list");
  }

  @Test
  void hostNamesBecomeNodeNames() {
    assertThat(EngineDiscovery.dnsLabel("Build-01.example.com")).isEqualTo("build-01");
    assertThat(EngineDiscovery.dnsLabel("_weird_")).isEqualTo("weird");
    assertThat(EngineDiscovery.dnsLabel("")).isEqualTo("engine");
  }
}
