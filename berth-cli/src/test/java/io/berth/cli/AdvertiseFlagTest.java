package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertiseFlagTest {
  @Test
  void anAddressIsTakenAsGiven() {
    assertThat(AdvertiseFlag.resolve("10.0.0.5:12000", List.of("10.0.0.1:2377"))).isEqualTo(new InetSocketAddress("10.0.0.5", 12000));
  }

  @Test
  void autoPicksTheLoopbackForAManagerOnThisMachine() {
    InetSocketAddress a = AdvertiseFlag.resolve("auto", List.of("127.0.0.1:2377", "10.0.0.2:2377"));
    assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(AdvertiseFlag.DEFAULT_PORT);
  }

  @Test
  void autoTakesAPort() {
    assertThat(AdvertiseFlag.resolve("auto:9000", List.of("127.0.0.1:2377")).getPort()).isEqualTo(9000);
  }

  @Test
  void autoPicksAnAddressOfThisMachinesInterfaces() throws Exception {
    // A remote manager: whichever interface routes there (in a sandbox without a route, the message says so).
    try {
      InetAddress a = AdvertiseFlag.resolve("auto", List.of("192.0.2.10:2377")).getAddress();
      assertThat(a.isAnyLocalAddress()).isFalse();
      assertThat(NetworkInterface.getByInetAddress(a)).isNotNull();
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessage("--advertise auto: no route from this machine to the manager at 192.0.2.10:2377; give --advertise IP:PORT");
    }
  }

  @Test
  void anUnknownManagerHostIsAClearMessage() {
    assertThatThrownBy(() -> AdvertiseFlag.resolve("auto", List.of("no-such-host.invalid:2377")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--advertise auto: cannot resolve the manager's host 'no-such-host.invalid'; give --advertise IP:PORT");
  }

  @Test
  void aBadAutoPortIsAClearMessage() {
    assertThatThrownBy(() -> AdvertiseFlag.resolve("auto:x", List.of("127.0.0.1:2377")))
        .hasMessage("--advertise: port must be 0-65535 in 'auto:x'");
  }
}
