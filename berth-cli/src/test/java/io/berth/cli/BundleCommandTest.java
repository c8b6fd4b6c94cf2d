package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {
  static final String ISSUED = """
      {"serial": "1a2b", "user": "alice", "created_at": "2026-12-01T10:00:00Z", "expires_at": "2027-12-01T10:00:00Z",
       "ca_pem": "CA\\n", "cert_pem": "CERT\\n", "key_pem": "KEY\\n", "docker_host": "tcp://10.0.0.1:2376", "docker_tls": true}""";
  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  BundleCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void writesTheBundlesFilesWithTheKeyForItsOwnerOnly() throws Exception {
    api.on("POST /v1/bundles", 201, ISSUED);
    Path out = dir.resolve("b");
    FakeApi.Result r = api.ok("bundle", "--user", "alice", "-o", out.toString());
    assertThat(api.calls("POST", "/v1/bundles").get(0).body()).isEqualTo("{\"user\":\"alice\"}");
    assertThat(Files.readString(out.resolve("ca.pem"))).isEqualTo("CA\n");
    assertThat(Files.readString(out.resolve("cert.pem"))).isEqualTo("CERT\n");
    assertThat(Files.readString(out.resolve("key.pem"))).isEqualTo("KEY\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("key.pem")))).isEqualTo("rw-------");
    assertThat(Files.readString(out.resolve("env.sh"))).isEqualTo("# berth bundle 1a2b for alice\nexport DOCKER_HOST=tcp://10.0.0.1:2376\n"
        + "export DOCKER_TLS_VERIFY=1\nexport DOCKER_CERT_PATH=" + out + "\n");
    assertThat(r.out()).startsWith("bundle 1a2b for alice in " + out + " (valid until 2027-12-01T10:00:00Z)\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void saysSoWhenTheEndpointTakesNoBundles() {
    api.on("POST /v1/bundles", 201, ISSUED.replace("\"docker_tls\": true", "\"docker_tls\": false"));
    FakeApi.Result r = api.berth("bundle", "-o", dir.resolve("b").toString());
    assertThat(r.exit()).isZero();
    assertThat(api.calls("POST", "/v1/bundles").get(0).body()).isEqualTo("{}");
    assertThat(r.err()).contains("start it with --docker-tls");
  }

  @Test
  void listsAndRevokes() {
    api.on("GET /v1/bundles", "[{\"serial\":\"1a2b\",\"user\":\"alice\",\"created_at\":\"2026-12-01T10:00:00Z\",\"created_by\":\"admin\","
        + "\"expires_at\":\"2027-12-01T10:00:00Z\",\"revoked\":true}]");
    FakeApi.Result ls = api.berth("bundle", "ls");
    assertThat(ls.out()).isEqualTo("SERIAL   USER    CREATED                BY      EXPIRES                STATE\n"
        + "1a2b     alice   2026-12-01T10:00:00Z   admin   2027-12-01T10:00:00Z   revoked\n");
    api.on("DELETE /v1/bundles/1a2b", 204, "");
    FakeApi.Result rm = api.ok("bundle", "revoke", "1a2b");
    assertThat(rm.out()).isEqualTo("revoked bundle 1a2b\n");
  }

  @Test
  void aRefusalIsOneSentence() {
    api.on("POST /v1/bundles", 403, "{\"name\":\"Forbidden\",\"message\":\"bob may not make a bundle for alice: only administrators make other users' bundles\"}");
    FakeApi.Result r = api.berth("bundle", "--user", "alice", "-o", dir.resolve("b").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth bundle: bob may not make a bundle for alice: only administrators make other users' bundles (HTTP 403)\n");
    assertThat(dir.resolve("b")).doesNotExist();
  }
}
