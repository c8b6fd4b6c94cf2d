package io.berth.manager.registry;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How the manager runs its image registry (Debian's {@code docker-registry}, distribution 2.8).
 *
 * @param addr where the registry listens ({@code 127.0.0.1:5000} in dev: docker treats 127.0.0.1 as insecure, so plain HTTP works)
 * @param dir its config, log and image data
 * @param binary the {@code docker-registry} executable
 */
public record RegistryConfig(InetSocketAddress addr, Path dir, Path binary) {
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");

  public static RegistryConfig of(InetSocketAddress addr, Path dir) {
    return new RegistryConfig(addr, dir, DEFAULT_BINARY);
  }

  /** {@code host:port} as image references name the registry: {@code 127.0.0.1:5000/team/app:v1}. */
  public String hostPort() {
    String host = addr.getAddress() != null && addr.getAddress().isAnyLocalAddress() ? "127.0.0.1" : addr.getHostString();
    return host + ":" + addr.getPort();
  }
}
