package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker endpoint with {@code --tlsverify}, with certificates made by openssl the way Docker's
 * guide to protecting the daemon socket makes them, and the docker CLI's own TLS flags.
 */
@BerthCluster(nodes = 1, firstNode = 10, setup = DockerTlsIT.Certificates.class, managerArgs = {"--tlsverify",
    "--tlscacert", "{dir}/ca.pem", "--tlscert", "{dir}/server-cert.pem", "--tlskey", "{dir}/server-key.pem"})
class DockerTlsIT {
  static Path dir;
  static String host;

  @BeforeAll
  static void start(Cluster c) {
    dir = c.dir();
    host = c.dockerHost();
  }

  /** The CA, the endpoint's certificate and a client's, in the cluster's directory before its manager starts. */
  static final class Certificates implements BerthCluster.Setup {
    @Override
    public void beforeManager(Path clusterDir, List<LocalEngine> engines) throws Exception {
      dir = clusterDir;
      sh("openssl genrsa -out ca-key.pem 2048 && openssl req -new -x509 -days 2 -key ca-key.pem -sha256 -subj /CN=berth-test-ca -out ca.pem"
          + " && openssl genrsa -out server-key.pem 2048 && openssl req -subj /CN=localhost -sha256 -new -key server-key.pem -out server.csr"
          + " && printf 'subjectAltName = IP:127.0.0.1\\nextendedKeyUsage = serverAuth\\n' > server.ext"
          + " && openssl x509 -req -days 2 -sha256 -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -extfile server.ext"
          + " && openssl genrsa -out key.pem 2048 && openssl req -subj /CN=client -new -key key.pem -out client.csr"
          + " && printf 'extendedKeyUsage = clientAuth\\n' > client.ext"
          + " && openssl x509 -req -days 2 -sha256 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -extfile client.ext");
    }
  }

  @Test
  void clientsWithACertificateOfTheCaGetInOthersDoNot() throws Exception {
    List<String> tls = List.of("--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString(), "--tlscert", dir.resolve("cert.pem").toString(),
        "--tlskey", dir.resolve("key.pem").toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> docker(tls, null, "info", "--format", "{{.NCPU}}").out().strip().matches("[1-9]\\d*"));
    assertThat(docker(tls, "over tls\n", "run", "--rm", "-i", "berth/busybox:1", "cat").out()).isEqualTo("over tls\n");
    assertThat(docker(List.of(), null, "version").exit()).as("plain TCP to a TLS endpoint").isNotZero();
    List<String> noClientCert = List.of("--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString());
    assertThat(docker(noClientCert, null, "version", "--format", "{{.Server.Version}}").out()).doesNotContain("berth/");
  }

  @Test
  void enginesFoundByDiscoveryAreReachedOverTlsWithTheManagersCertificate() throws Exception {
    // The manager's certificate serves its endpoint and, as swarm manage --tlsverify did, authenticates it to the engines.
    sh("openssl genrsa -out mgr-key.pem 2048 && openssl req -subj /CN=berth-manager -new -key mgr-key.pem -out mgr.csr"
        + " && printf 'subjectAltName = IP:127.0.0.1\\nextendedKeyUsage = serverAuth, clientAuth\\n' > mgr.ext"
        + " && openssl x509 -req -days 2 -sha256 -in mgr.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out mgr-cert.pem -extfile mgr.ext"
        + " && openssl genrsa -out engine-key.pem 2048 && openssl req -subj /CN=engine -new -key engine-key.pem -out engine.csr"
        + " && printf 'subjectAltName = IP:127.0.0.113\\nextendedKeyUsage = serverAuth\\n' > engine.ext"
        + " && openssl x509 -req -days 2 -sha256 -in engine.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out engine-cert.pem -extfile engine.ext");
    try (LocalEngines tlsEngine = LocalEngines.builder().nodes(1).firstNode(13).tcpPort(2376)
        .tls(dir.resolve("ca.pem"), dir.resolve("engine-cert.pem"), dir.resolve("engine-key.pem")).start()) {
      String engine = tlsEngine.engines().get(0).address() + ":2376";
      assertThat(DockerCli.run("tcp://" + engine, List.of(), null, "version").exit()).as("the engine refuses plain TCP").isNotZero();
      int port = Ports.free();
      String managerHost = "tcp://127.0.0.1:" + port;
      try (BerthProcess m = BerthProcess.start("manager-discovery", dir, "manage", "--store", "sqlite://" + dir.resolve("discovery.db"),
          "--data", dir.resolve("discovery").toString(), "--api-addr", "127.0.0.1:0", "--cluster-addr", "127.0.0.1:0",
          "--docker-addr", "127.0.0.1:" + port, "--discovery", "nodes://" + engine, "--heartbeat", "1s", "--node-ttl", "3s",
          "--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString(), "--tlscert", dir.resolve("mgr-cert.pem").toString(),
          "--tlskey", dir.resolve("mgr-key.pem").toString())) {
        m.awaitLine("berth manager is running", Duration.ofSeconds(30));
        List<String> tls = List.of("--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString(), "--tlscert", dir.resolve("cert.pem").toString(),
            "--tlskey", dir.resolve("key.pem").toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> DockerCli.run(managerHost, tls, null, "info", "--format", "{{json .SystemStatus}}").out()
            .contains(engine + "\"],[\"  └ Status\",\"Healthy\"]"));
        DockerCli.Result run = DockerCli.run(managerHost, tls, "tls all the way\n", "run", "--rm", "-i", "berth/busybox:1", "cat");
        assertThat(run.out()).as(run.err()).isEqualTo("tls all the way\n");
      }
    }
  }

  static DockerCli.Result docker(List<String> tls, String stdin, String... args) throws Exception {
    return DockerCli.run(host, tls, stdin, args);
  }

  static void sh(String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
