package io.berth.bench;

import io.berth.manager.identity.StoreAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * {@code scripts/bench identity}, three parts, each beside a baseline measured in the same run:
 *
 * <ol>
 *   <li>In process, on a real SQLite store: {@link StoreAccess#allows} and {@code require} with
 *       1,000 apps × 10 members (against the permission table alone), token verification (against
 *       the one store read it needs), sign-in with bcrypt cost 12 (against bcrypt alone) and API
 *       token issuance (against one store put).
 *   <li>The registry token endpoint of a running manager over HTTP, Basic user + API token and
 *       user + password (against {@code GET /v1/whoami} with a bearer token).
 *   <li>{@code docker push} and {@code pull} of images with a fresh random ~10 MiB layer each,
 *       through the manager's registry on 127.0.0.1:5045 (token auth, the docker CLI logged in with
 *       an API token, and with a password) against a plain {@code docker-registry} with auth off on
 *       127.0.0.1:5046, alternating, on one real engine (node 45). Rounds: {@code BERTH_IDENTITY_ROUNDS}.
 * </ol>
 */
final class IdentityBench {
  /** The password of the user "bench", who signs in both in process and to the running manager. */
  static final String PASSWORD = "bench-password-1";

  private IdentityBench() {}

  static void run() throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BERTH_IDENTITY_ROUNDS", "8"));
    Path dir = Files.createTempDirectory("berth-bench-identity");
    long t0 = System.nanoTime();
    System.out.println("load average at start: " + loadAverage());
    IdentityInProcess.run(dir);
    long t1 = System.nanoTime();
    try {
      IdentitySystem.run(dir, rounds);
      System.out.printf("%nin process %.0f s, manager and registries %.0f s; load average at the end: %s%n", (t1 - t0) / 1e9,
          (System.nanoTime() - t1) / 1e9, loadAverage());
    } finally {
      // the pushed images: ~10 MiB each, (rounds + 1) x 3 of them
      for (String d : List.of("manager/registry/data", "plain-registry-data")) deleteTree(dir.resolve(d));
      Files.deleteIfExists(dir.resolve("layer.bin"));
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
