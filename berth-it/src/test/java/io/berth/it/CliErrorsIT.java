package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input and missing parts get one clear line on stderr and a non-zero exit, never a stack trace. */
class CliErrorsIT {
  static void assertOneClearLine(BerthProcess.Result r, int exit, String says) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err()).contains(says).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(exit == 2 ? 2 : 1);
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return BerthProcess.run(Duration.ofSeconds(60), args);
  }

  @Test
  void aMalformedStoreUrlSaysTheExpectedForm() throws Exception {
    Path data = Files.createTempDirectory("berth-err");
    assertOneClearLine(berth("manage", "--store", "foo://x", "--data", data.toString()), 1, "expected sqlite:///absolute/path/berth.db or etcd://");
    assertOneClearLine(berth("manage", "--store", "sqlite://relative.db", "--data", data.toString()), 1, "malformed store URL");
  }

  @Test
  void anUnreachableEtcdIsNamed() throws Exception {
    Path data = Files.createTempDirectory("berth-err");
    assertOneClearLine(berth("manage", "--store", "etcd://127.0.0.1:" + Ports.free(), "--data", data.toString(),
        "--api-addr", "127.0.0.1:0", "--cluster-addr", "127.0.0.1:0"), 1, "etcd");
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    Path data = Files.createTempDirectory("berth-err");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertOneClearLine(berth("manage", "--store", "sqlite://" + data.resolve("b.db"), "--data", data.toString(),
          "--api-addr", "127.0.0.1:" + taken.getLocalPort(), "--cluster-addr", "127.0.0.1:0"), 1,
          "cannot listen for the Berth API on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void aMalformedJoinTokenAndAMissingEngineAreExplained() throws Exception {
    Path data = Files.createTempDirectory("berth-err");
    assertOneClearLine(berth("join", "--manager", "127.0.0.1:1", "--token", "SWMTKN-1-xyz", "--advertise", "127.0.0.1:0",
        "--engine", "unix://" + data.resolve("none.sock"), "--data", data.toString()), 1, "malformed join token");
    assertOneClearLine(berth("join", "--manager", "127.0.0.1:1", "--advertise", "127.0.0.1:0",
        "--engine", "unix://" + data.resolve("none.sock"), "--data", data.toString()), 1, "cannot reach the Docker engine at unix://");
    assertOneClearLine(berth("dev", "--data", data.toString(), "--engine", "unix://" + data.resolve("none.sock")), 1,
        "no Docker engine answers at unix://");
  }

  @Test
  void aWrongFlagOrValueIsAUsageError() throws Exception {
    assertOneClearLine(berth("nodes", "--bogus"), 2, "Unknown option: '--bogus'");
    assertOneClearLine(berth("manage", "--store", "sqlite:///tmp/x.db", "--node-ttl", "10"), 2, "invalid duration '10'");
    assertOneClearLine(berth("manage", "--store", "sqlite:///tmp/x.db", "--heartbeat", "20s"), 1, "must be shorter than --node-ttl");
    assertOneClearLine(berth("manage", "--store", "sqlite:///tmp/x.db", "--strategy", "fancy"), 1, "unknown strategy 'fancy': choose spread, binpack or random");
    assertOneClearLine(berth("manage", "--store", "sqlite:///tmp/x.db", "--filter", "nosuch"), 1, "unknown filter 'nosuch'");
    assertOneClearLine(berth("nodes", "--api", "http://127.0.0.1:" + Ports.free(), "--token", "x"), 1, "cannot reach the manager");
  }
}
