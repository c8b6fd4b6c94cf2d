package io.berth.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The test image {@code berth/busybox:1}: Debian's static busybox with one symlink per applet,
 * the same root filesystem {@code scripts/busybox-image} builds.
 */
public final class BusyboxImage {
  /** The image reference every engine started by {@link LocalEngines} holds. */
  public static final String REFERENCE = "berth/busybox:1";
  static final Path BUSYBOX = Path.of(System.getProperty("berth.busybox", "/bin/busybox"));
  static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "sleep", "httpd", "wget",
      "true", "false", "env", "ps", "kill", "mkdir", "rm", "touch", "date", "hostname", "nc", "id",
      "head", "tail", "grep", "sed", "tr", "wc", "uname", "printf", "test");
  private static volatile byte[] cached;

  private BusyboxImage() {}

  /** True when busybox-static is installed, so {@link #rootfsTar()} can be built. */
  public static boolean available() {
    try {
      return isStatic(BUSYBOX);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A busybox binary works in an otherwise empty root filesystem only when it has no ELF
   * interpreter: Debian's plain {@code busybox} package installs a dynamic one at the same path.
   */
  static boolean isStatic(Path binary) throws IOException {
    if (!Files.isRegularFile(binary)) return false;
    byte[] elf = Files.readAllBytes(binary);
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2) return false; // 64-bit ELF only
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = b.getLong(0x20);
    int phentsize = b.getShort(0x36) & 0xffff;
    int phnum = b.getShort(0x38) & 0xffff;
    for (int i = 0; i < phnum; i++) {
      if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) return false; // PT_INTERP
    }
    return true;
  }

  /** The root filesystem as a tar, built once per JVM. */
  public static byte[] rootfsTar() {
    byte[] tar = cached;
    if (tar == null) {
      cached = tar = build();
    }
    return tar;
  }

  /** Imports the image into {@code engine} unless it is already there; returns true if imported. */
  public static boolean ensure(ContainerEngine engine) {
    if (engine.hasImage(REFERENCE)) {
      return false;
    }
    int colon = REFERENCE.lastIndexOf(':');
    engine.importImage(new ByteArrayInputStream(rootfsTar()), REFERENCE.substring(0, colon),
        REFERENCE.substring(colon + 1));
    return true;
  }

  private static byte[] build() {
    byte[] busybox;
    try {
      busybox = Files.readAllBytes(BUSYBOX);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUSYBOX + " (apt-get install busybox-static)", e);
    }
    TarWriter tar = new TarWriter().directory("./", 0755);
    for (String dir : List.of("bin", "usr", "usr/bin", "etc", "dev", "proc", "sys", "root", "var", "var/www")) {
      tar.directory(dir, 0755);
    }
    tar.directory("tmp", 01777).file("bin/busybox", 0755, busybox);
    APPLETS.forEach(applet -> tar.symlink("bin/" + applet, "busybox"));
    return tar.symlink("usr/bin/env", "/bin/busybox")
        .file("etc/passwd", 0644, ascii("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"))
        .file("etc/group", 0644, ascii("root:x:0:\nnogroup:x:65534:\n"))
        .finish();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
