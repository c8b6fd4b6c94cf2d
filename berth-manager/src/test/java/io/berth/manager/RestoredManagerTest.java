package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.http.ApiTestServer;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import io.berth.store.backup.Backup;
import io.berth.store.backup.BackupReader;
import io.berth.store.backup.DataDirFiles;
import io.berth.store.backup.Restorer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A manager started on a restored store and data dir serves the same cluster: the same CA, token, admin and users. */
class RestoredManagerTest {
  @RegisterExtension final ApiTestServer original = new ApiTestServer();
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<byte[]> get(int port, String path, String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aRestoredManagerServesTheSameClusterToTheSameAdminAndUsers() throws Exception {
    String user = original.signedIn("cy", "correct horse battery");
    HttpResponse<byte[]> file = get(original.manager().apiPort(), "/v1/backup", original.adminToken());
    assertThat(file.statusCode()).isEqualTo(200);
    Backup backup = BackupReader.read(new ByteArrayInputStream(file.body()), "http");

    String url = "sqlite://" + dir.resolve("restored.db");
    Path data = dir.resolve("data");
    try (StateStore store = StateStores.open(url)) {
      new Restorer(store, url, line -> {}).restore(backup, false);
      DataDirFiles.restore(data, backup);
      InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      ManagerConfig config = new ManagerConfig(any, any, null, data, url, Duration.ofSeconds(2), Duration.ofMillis(500),
          Strategy.SPREAD, Scheduler.FILTERS, null, null);
      try (Manager restored = Manager.start(config, store, Clock.systemUTC())) {
        assertThat(restored.secrets().joinToken().toString()).isEqualTo(original.manager().secrets().joinToken().toString());
        assertThat(restored.secrets().newAdminToken()).as("no new cluster was made").isEmpty();
        String adminToken = Files.readString(data.resolve("admin.token")).strip();
        assertThat(adminToken).isEqualTo(original.adminToken());
        assertThat(get(restored.apiPort(), "/v1/users", adminToken).statusCode()).isEqualTo(200);
        assertThat(new String(get(restored.apiPort(), "/v1/users", adminToken).body())).contains("\"cy\"");
        assertThat(get(restored.apiPort(), "/v1/whoami", user).statusCode()).as("cy's session token too").isEqualTo(200);
      }
    }
  }
}
