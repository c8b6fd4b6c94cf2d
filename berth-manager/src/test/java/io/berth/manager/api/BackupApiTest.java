package io.berth.manager.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.manager.http.ApiTestServer;
import io.berth.store.backup.Backup;
import io.berth.store.backup.BackupException;
import io.berth.store.backup.BackupReader;
import io.berth.store.backup.Restorer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/backup} on a whole manager: the store and the data dir's files, to administrators only. */
class BackupApiTest {
  @RegisterExtension static final ApiTestServer m = new ApiTestServer();

  HttpResponse<byte[]> get(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(m.uri("/v1/backup")).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anAdministratorGetsTheWholeClusterAsOneBackup() throws Exception {
    HttpResponse<byte[]> r = get(m.adminToken());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/gzip");

    Backup backup = BackupReader.read(new ByteArrayInputStream(r.body()), "http");
    assertThat(backup.header().cluster()).isEqualTo(m.manager().secrets().joinToken().caFingerprint());
    assertThat(backup.keys()).containsKeys("/berth/cluster/ca.pem", "/berth/cluster/ca-key.pem", "/berth/cluster/join-token",
        "/berth/users/admin");
    assertThat(backup.keys()).doesNotContainKeys("/berth/leader").allSatisfy((k, v) -> assertThat(k).doesNotStartWith("/berth/managers/"));
    assertThat(new String(backup.files().get("admin.token"), StandardCharsets.UTF_8).strip()).isEqualTo(m.adminToken());
  }

  @Test
  void aUserWhoIsNoAdministratorIsRefusedAndAnonymousCallersToo() throws Exception {
    String user = m.signedIn("bea", "correct horse battery");
    assertThat(get(user).statusCode()).isEqualTo(403);
    assertThat(get(null).statusCode()).isEqualTo(401);
  }

  @Test
  void theStoreOfARunningManagerRefusesARestore() throws Exception {
    Backup backup = BackupReader.read(new ByteArrayInputStream(get(m.adminToken()).body()), "http");
    assertThatThrownBy(() -> new Restorer(m.store(), "sqlite://live", line -> {}).restore(backup, true))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("store sqlite://live is live: manager " + m.manager().config().name() + " leads it (/berth/leader)");
  }
}
