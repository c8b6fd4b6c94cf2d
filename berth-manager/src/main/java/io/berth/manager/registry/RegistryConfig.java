package io.berth.manager.registry;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How the manager runs its image registry (Debian's {@code docker-registry}, distribution 2.8).
 *
 * @param addr where the registry listens ({@code 127.0.0.1:5000} in dev: docker treats 127.0.0.1 as insecure, so plain HTTP works)
 * @param dir its config and log, and its image data unless {@code storage} says otherwise
 * @param binary the {@code docker-registry} executable
 * @param sharedStorage where the image data lives when the operator shares it between managers ({@code --registry-storage});
 *     null: {@code dir/data}
 */
public record RegistryConfig(InetSocketAddress addr, Path dir, Path binary, Path sharedStorage) {
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");

  public RegistryConfig(InetSocketAddress addr, Path dir, Path binary) {
    this(addr, dir, binary, null);
  }

  public static RegistryConfig of(InetSocketAddress addr, Path dir) {
    return new RegistryConfig(addr, dir, DEFAULT_BINARY);
  }

  /** The same, its images in {@code storage} (null: in {@code dir/data}). */
  public RegistryConfig withStorage(Path storage) {
    return new RegistryConfig(addr, dir, binary, storage);
  }

  /** The directory the registry's filesystem driver keeps images in. */
  public Path storage() {
    return sharedStorage != null ? sharedStorage : dir.resolve("data");
  }

  /** {@code host:port} as image references name the registry: {@code 127.0.0.1:5000/team/app:v1}. */
  public String hostPort() {
    String host = addr.getAddress() != null && addr.getAddress().isAnyLocalAddress() ? "127.0.0.1" : addr.getHostString();
    return host + ":" + addr.getPort();
  }
}
