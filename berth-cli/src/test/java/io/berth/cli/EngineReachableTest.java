package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** berth dev refuses an engine the user named that nothing answers at, before it starts anything else. */
class EngineReachableTest {
  @Test
  void aNamedSocketNobodyListensOnIsRefusedAtOnce() throws Exception {
    Path dir = Files.createTempDirectory("engine-check");
    assertThatThrownBy(() -> EngineSetup.refuseUnreachable("unix://" + dir.resolve("none.sock")))
        .hasMessage("no Docker engine answers at unix://" + dir.resolve("none.sock") + ": start it, or leave out --engine to use the local one");
    assertThatThrownBy(() -> EngineSetup.refuseUnreachable("tcp://127.0.0.1:1")).hasMessageContaining("no Docker engine answers at tcp://127.0.0.1:1");
  }

  @Test
  void aListeningSocketAndTheDefaultEngineGoOnToTheFullCheck() throws Exception {
    Path sock = Files.createTempDirectory("engine-check").resolve("d.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      assertThatCode(() -> EngineSetup.refuseUnreachable("unix://" + sock)).doesNotThrowAnyException();
    }
    assertThatCode(() -> EngineSetup.refuseUnreachable(EngineSetup.DEFAULT_ENGINE)).as("berth dev may install and start it").doesNotThrowAnyException();
  }
}
