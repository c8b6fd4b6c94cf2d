package io.berth.it;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the Docker endpoint's ITs share: the {@link DockerEndpointCluster} (nodes 16, 17 and 18;
 * node17 alone has {@code disk=ssd}, node18 has {@code containerslots=2}, so a test that leaves
 * containers behind can fill it: each test removes what it made), a scratch directory per class,
 * and the docker CLI pointed at the manager.
 */
abstract class OnDockerEndpoint {
  static Cluster cluster;
  static Path dir;
  static String dockerHost;

  @BeforeAll
  static void useCluster(Cluster c) throws IOException {
    cluster = c;
    dir = Files.createTempDirectory("berth-docker-it");
    dockerHost = c.dockerHost();
  }

  static DockerCli.Result docker(String stdin, String... args) throws IOException, InterruptedException {
    return DockerCli.run(dockerHost, List.of(), stdin, args);
  }

  /** The three nodes the Docker endpoint's ITs share, with the labels their placements test. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @BerthCluster(nodes = 3, firstNode = 16, labels = {"16:disk=hdd", "17:disk=ssd", "18:disk=hdd", "18:containerslots=2"})
  @interface DockerEndpointCluster {}
}
