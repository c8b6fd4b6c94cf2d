package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The config the manager writes for docker-registry: token auth against the manager, deletes on, everything under its dir. */
class RegistryConfigTest {
  @Test
  void theConfigPointsTokenAuthAtTheManagerAndKeepsImagesInTheDataDir() {
    RegistryConfig c = RegistryConfig.of(new InetSocketAddress("127.0.0.1", 5000), Path.of("/var/lib/berth/registry"));
    String yml = RegistryProcess.configYaml(c, "http://127.0.0.1:8080/v1/registry/token", "berth-registry", "berth", "s3cret");
    assertThat(yml).contains("""
        storage:
          filesystem:
            rootdirectory: "/var/lib/berth/registry/data"
          delete:
            enabled: true
        http:
          addr: "127.0.0.1:5000"
          secret: "s3cret"
        auth:
          token:
            realm: "http://127.0.0.1:8080/v1/registry/token"
            service: "berth-registry"
            issuer: "berth"
            rootcertbundle: "/var/lib/berth/registry/ca.pem"
        """);
  }

  @Test
  void aRegistryOnEveryInterfaceIsNamedByLoopbackInImageReferences() {
    assertThat(RegistryConfig.of(new InetSocketAddress("0.0.0.0", 5000), Path.of("d")).hostPort()).isEqualTo("127.0.0.1:5000");
    assertThat(RegistryConfig.of(new InetSocketAddress("10.0.0.5", 5001), Path.of("d")).hostPort()).isEqualTo("10.0.0.5:5001");
  }
}
