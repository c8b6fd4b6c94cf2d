package io.berth.manager.registry;

import java.util.Optional;

/**
 * An image reference as docker reads it — {@code [HOST[:PORT]/]REPO[:TAG][@DIGEST]} — split into
 * the registry host it names (empty: Docker Hub) and the repository.
 */
record ImageReference(Optional<String> host, String repository) {
  static ImageReference parse(String reference) {
    String ref = reference;
    int at = ref.indexOf('@');
    if (at >= 0) ref = ref.substring(0, at);
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) ref = ref.substring(0, colon);
    int first = ref.indexOf('/');
    if (first > 0) {
      String head = ref.substring(0, first);
      // docker's rule: a first component with a '.' or a ':', or 'localhost', is a registry host
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        return new ImageReference(Optional.of(head), ref.substring(first + 1));
      }
    }
    return new ImageReference(Optional.empty(), ref);
  }

  /** True when the reference names the registry at {@code hostPort} (localhost and 127.0.0.1 are one). */
  boolean isFrom(String hostPort) {
    return host.map(h -> normal(h).equals(normal(hostPort))).orElse(false);
  }

  private static String normal(String hostPort) {
    return hostPort.startsWith("localhost:") ? "127.0.0.1" + hostPort.substring("localhost".length()) : hostPort;
  }
}
