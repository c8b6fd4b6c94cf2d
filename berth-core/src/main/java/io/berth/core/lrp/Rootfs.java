package io.berth.core.lrp;

/** Reads Diego's {@code rootfs} URLs for Docker images. */
public final class Rootfs {
  private Rootfs() {}

  /**
   * The image reference in {@code docker:///repo/name#tag} or {@code docker://host:port/repo/name#tag}
   * ({@code repo/name:tag}, {@code host:port/repo/name:tag}; no tag means {@code latest}).
   *
   * @throws IllegalArgumentException when it is not such a URL
   */
  public static String image(String rootfs) {
    if (rootfs == null || !rootfs.startsWith("docker://")) {
      throw new IllegalArgumentException("rootfs must be docker:///IMAGE#TAG or docker://HOST:PORT/IMAGE#TAG: " + rootfs);
    }
    String rest = rootfs.substring("docker://".length());
    String host = "";
    if (!rest.startsWith("/")) {
      int slash = rest.indexOf('/');
      if (slash < 0) throw new IllegalArgumentException("rootfs names a registry but no image: " + rootfs);
      host = rest.substring(0, slash + 1);
      rest = rest.substring(slash);
    }
    rest = rest.substring(1);
    String tag = "latest";
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      tag = rest.substring(hash + 1);
      rest = rest.substring(0, hash);
    }
    if (rest.isEmpty() || !rest.matches("[a-z0-9]+([._/-][a-z0-9]+)*")) {
      throw new IllegalArgumentException("rootfs names no valid image: " + rootfs);
    }
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) throw new IllegalArgumentException("rootfs has an invalid tag: " + rootfs);
    return host + rest + ":" + tag;
  }
}
