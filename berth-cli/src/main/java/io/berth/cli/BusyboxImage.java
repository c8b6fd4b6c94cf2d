package io.berth.cli;

import io.berth.engine.ContainerEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny test image {@code berth/busybox:1}: Debian's statically linked busybox and its applets as
 * symlinks, imported as a root filesystem. No public registry is reachable here, so this is how a
 * fresh machine gets an image to run.
 */
final class BusyboxImage {
  static final String REPOSITORY = "berth/busybox";
  static final String TAG = "1";
  static final String[] APPLETS = {"sh", "ls", "cat", "echo", "sleep", "httpd", "wget", "true", "false", "env", "ps",
      "kill", "mkdir", "rm", "touch", "date", "hostname", "nc", "id", "head", "tail", "grep", "sed", "tr", "wc",
      "uname", "printf", "test", "top", "vi", "cp", "mv", "ln", "chmod", "du", "df", "find", "xargs", "awk", "tee"};
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxImage() {}

  static void ensure(ContainerEngine engine, PrintStream out, Path dataDir) throws IOException, InterruptedException {
    if (engine.hasImage(REPOSITORY + ":" + TAG)) return;
    if (!isStatic(BUSYBOX)) {
      if (!EngineSetup.isRoot() || EngineSetup.which("apt-get") == null) {
        throw new IllegalStateException("image " + REPOSITORY + ":" + TAG + " is missing and no static busybox is installed to make it: install busybox-static");
      }
      Packages.install(out, dataDir, "busybox-static");
    }
    out.println("berth dev: importing test image " + REPOSITORY + ":" + TAG + " (busybox-static) ...");
    engine.importImage(new ByteArrayInputStream(rootfs(Files.readAllBytes(BUSYBOX))), REPOSITORY, TAG);
  }

  /** A busybox binary is usable in an empty root filesystem only when it has no ELF interpreter. */
  static boolean isStatic(Path binary) throws IOException {
    if (!Files.isRegularFile(binary)) return false;
    byte[] elf = Files.readAllBytes(binary);
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2) return false; // 64-bit ELF only
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long phoff = b.getLong(0x20);
    int phentsize = b.getShort(0x36) & 0xffff;
    int phnum = b.getShort(0x38) & 0xffff;
    for (int i = 0; i < phnum; i++) {
      if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) return false; // PT_INTERP
    }
    return true;
  }

  /** A tar of {@code bin/busybox}, its applet links and an empty {@code tmp}. */
  static byte[] rootfs(byte[] busybox) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream(busybox.length + 64 * 1024);
    entry(tar, "bin/", '5', 0755, "", new byte[0]);
    entry(tar, "tmp/", '5', 01777, "", new byte[0]);
    entry(tar, "etc/", '5', 0755, "", new byte[0]);
    entry(tar, "etc/passwd", '0', 0644, "", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".getBytes(StandardCharsets.UTF_8));
    entry(tar, "bin/busybox", '0', 0755, "", busybox);
    for (String applet : APPLETS) entry(tar, "bin/" + applet, '2', 0777, "busybox", new byte[0]);
    tar.write(new byte[1024]); // two zero blocks end the archive
    return tar.toByteArray();
  }

  /** Writes one POSIX ustar header and its padded content. */
  private static void entry(ByteArrayOutputStream tar, String name, char type, int mode, String link, byte[] data) throws IOException {
    byte[] h = new byte[512];
    put(h, 0, name, 100);
    put(h, 100, octal(mode, 7), 8);
    put(h, 108, octal(0, 7), 8);
    put(h, 116, octal(0, 7), 8);
    put(h, 124, octal(data.length, 11), 12);
    put(h, 136, octal(1_700_000_000L, 11), 12);
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 157, link, 100);
    put(h, 257, "ustar", 6);
    put(h, 263, "00", 2);
    long sum = 0;
    for (byte x : h) sum += x & 0xff;
    put(h, 148, octal(sum, 6), 7);
    tar.write(h);
    tar.write(data);
    int pad = (512 - data.length % 512) % 512;
    tar.write(new byte[pad]);
  }

  private static String octal(long v, int digits) {
    return String.format("%0" + digits + "o", v);
  }

  private static void put(byte[] h, int at, String s, int max) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, Math.min(b.length, max));
  }
}
