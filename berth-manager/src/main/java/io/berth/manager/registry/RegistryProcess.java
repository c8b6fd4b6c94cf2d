package io.berth.manager.registry;

import io.berth.cluster.Pem;
import io.berth.cluster.PidFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as a child process: {@code docker-registry serve DIR/config.yml}, its token auth
 * pointed at the manager's token endpoint, trusting the cluster CA ({@code DIR/ca.pem}), images under
 * {@code DIR/data} with deletes on, output in {@code DIR/registry.log}. Started means {@code /v2/}
 * answers; a registry that exits or stays silent is one sentence with the log's last line.
 */
final class RegistryProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private final Process process;
  private final RegistryConfig config;

  private RegistryProcess(Process process, RegistryConfig config) {
    this.process = process;
    this.config = config;
  }

  /**
   * Writes the config and starts the registry; {@code realm} is the token endpoint's full URL, {@code secret}
   * the HTTP secret every manager's registry shares.
   */
  static RegistryProcess start(RegistryConfig config, String realm, String service, String issuer, X509Certificate ca, String secret) {
    if (!Files.isExecutable(config.binary())) {
      throw new IllegalStateException("cannot run the image registry: " + config.binary()
          + " is not installed (apt-get install docker-registry; berth dev installs it when run as root)");
    }
    Path dir = config.dir();
    Path logFile = dir.resolve("registry.log");
    stopLeftOver(dir);
    requireFree(config);
    Process p;
    try {
      Files.createDirectories(dir); // with --registry-storage the images live elsewhere, but the config lives here
      Files.createDirectories(config.storage());
      Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca));
      // The config holds the registry's HTTP secret: only its owner reads it.
      Path yml = dir.resolve("config.yml");
      Files.deleteIfExists(yml);
      Files.createFile(yml, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(yml, configYaml(config, realm, service, issuer, secret));
      p = new ProcessBuilder(config.binary().toString(), "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the image registry in " + dir + ": " + e.getMessage(), e);
    }
    new PidFile(dir.resolve("registry.pid")).write(p.pid());
    RegistryProcess rp = new RegistryProcess(p, config);
    try {
      rp.awaitAnswering(logFile);
    } catch (RuntimeException e) {
      rp.close();
      throw e;
    }
    log.info("registry-started addr={} pid={} dir={}", config.hostPort(), p.pid(), dir);
    return rp;
  }

  /**
   * A registry that a killed manager left running (its pid in {@code registry.pid}, its command
   * line naming this dir's config) holds the port and serves the old config: it goes first.
   */
  static void stopLeftOver(Path dir) {
    String config = dir.resolve("config.yml").toString();
    new PidFile(dir.resolve("registry.pid")).stopLeftOver("registry", c -> c.contains("docker-registry") && c.contains(config), STOP_GRACE)
        .ifPresent(pid -> log.info("registry-left-over-stopped pid={} dir={}", pid, dir));
  }

  /** Something else on the port would answer our readiness check for a registry that is about to fail. */
  private static void requireFree(RegistryConfig config) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(config.addr());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the image registry on " + config.hostPort() + ": the address is in use or not available"
          + " on this machine (another registry? --registry-addr HOST:PORT to use another)");
    }
  }

  static String configYaml(RegistryConfig c, String realm, String service, String issuer, String secret) {
    Path dir = c.dir().toAbsolutePath();
    return String.join("\n", List.of(
        "# Written by the Berth manager at each start; edits are overwritten.",
        "version: 0.1",
        "log:",
        "  level: info",
        "  formatter: text",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + quote(c.storage().toAbsolutePath().toString()),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: " + quote(c.addr().getHostString() + ":" + c.addr().getPort()),
        "  secret: " + quote(secret),
        "auth:",
        "  token:",
        "    realm: " + quote(realm),
        "    service: " + quote(service),
        "    issuer: " + quote(issuer),
        "    rootcertbundle: " + quote(dir.resolve("ca.pem").toString()),
        ""));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void awaitAnswering(Path logFile) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    URI v2 = URI.create("http://" + config.hostPort() + "/v2/");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the image registry exited with status " + process.exitValue() + " at start: "
            + lastLine(logFile) + " (log: " + logFile + ")");
      }
      try {
        int status = http.send(HttpRequest.newBuilder(v2).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
        if (status == 401 || status == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the image registry");
      }
      sleep(50);
    }
    throw new IllegalStateException("the image registry did not answer on " + config.hostPort() + " within "
        + START_TIMEOUT.toSeconds() + " s: " + lastLine(logFile) + " (log: " + logFile + ")");
  }

  /** The last line the registry logged that says something (the reason it failed, usually). */
  static String lastLine(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).trim();
        if (!l.isEmpty()) return l;
      }
      return "it logged nothing";
    } catch (IOException e) {
      return "its log is unreadable (" + e.getMessage() + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    log.info("registry-stopped addr={}", config.hostPort());
  }
}
