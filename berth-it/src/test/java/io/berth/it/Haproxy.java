package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's haproxy in front of several managers, as docs/ha.md tells an operator to run it: the
 * Berth API checked on {@code /healthz}, the Docker endpoint on {@code /_ping} (in TCP mode, so
 * {@code exec -it} and {@code attach} hijacks pass through), a server out within a second of its
 * first failed check, and a refused connection tried again on another manager.
 */
final class Haproxy implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/haproxy");
  private final BerthProcess process;
  private final int apiPort;
  private final int dockerPort;

  private Haproxy(BerthProcess process, int apiPort, int dockerPort) {
    this.process = process;
    this.apiPort = apiPort;
    this.dockerPort = dockerPort;
  }

  /** Starts haproxy on two free loopback ports in front of the managers' API and Docker ports. */
  static Haproxy start(Path dir, List<Integer> apiPorts, List<Integer> dockerPorts) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      if (System.getenv("CI") != null) throw new IllegalStateException("haproxy is not installed (apt-get install haproxy)");
      Assumptions.abort("haproxy is not installed (apt-get install haproxy); skipping");
    }
    int api = Ports.free();
    int docker = Ports.free();
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, config(api, apiPorts, docker, dockerPorts));
    BerthProcess p = BerthProcess.exec("haproxy", dir, List.of(BINARY.toString(), "-db", "-f", cfg.toString()));
    Haproxy h = new Haproxy(p, api, docker);
    Ports.awaitListening("127.0.0.1", api, Duration.ofSeconds(10));
    Ports.awaitListening("127.0.0.1", docker, Duration.ofSeconds(10));
    return h;
  }

  /** The configuration docs/ha.md shows, for loopback ports. */
  static String config(int api, List<Integer> apiPorts, int docker, List<Integer> dockerPorts) {
    StringBuilder b = new StringBuilder("""
        global
          maxconn 2000
        defaults
          timeout connect 1s
          timeout client 1h
          timeout server 1h
          timeout tunnel 1h
          retries 3
          option redispatch
          timeout check 1500ms
          default-server inter 500ms fall 2 rise 2
        frontend berth-api
          mode http
          bind 127.0.0.1:%d
          default_backend managers-api
        frontend berth-docker
          mode tcp
          bind 127.0.0.1:%d
          default_backend managers-docker
        backend managers-api
          mode http
          option httpchk GET /healthz
          http-check expect status 200
        """.formatted(api, docker));
    for (int i = 0; i < apiPorts.size(); i++) b.append("  server m").append(i).append(" 127.0.0.1:").append(apiPorts.get(i)).append(" check\n");
    b.append("""
        backend managers-docker
          mode tcp
          option httpchk GET /_ping
          http-check expect status 200
        """);
    for (int i = 0; i < dockerPorts.size(); i++) b.append("  server m").append(i).append(" 127.0.0.1:").append(dockerPorts.get(i)).append(" check\n");
    return b.toString();
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  String dockerHost() {
    return "tcp://127.0.0.1:" + dockerPort;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
