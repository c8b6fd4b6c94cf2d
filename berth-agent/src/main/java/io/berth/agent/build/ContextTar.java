package io.berth.agent.build;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build context as the engine takes it: a tar of the context directory, as {@code docker build}
 * sends it — without {@code .git} and what {@code .dockerignore} names (glob lines, in order, the
 * last one that matches a path or one of its directories deciding; a {@code !} line takes back in
 * what earlier lines left out, as Docker reads them) — plus the Dockerfile as {@value #OUTSIDE}
 * when it lies outside the context. Names past 99 bytes get GNU long-name entries, which the engine reads.
 */
final class ContextTar {
  static final String OUTSIDE = ".berth.Dockerfile";
  private static final int BLOCK = 512;

  private ContextTar() {}

  /** Writes the tar of {@code context} to {@code target}; returns the Dockerfile's path in it. */
  static String write(Path context, Path dockerfile, Path target) throws IOException {
    List<Rule> ignored = ignored(context);
    boolean inside = dockerfile.startsWith(context);
    String dockerfileName = inside ? name(context.relativize(dockerfile)) : OUTSIDE;
    Files.createDirectories(target.getParent());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target)); Stream<Path> walk = Files.walk(context)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        Path rel = context.relativize(p);
        String name = name(rel);
        if (name.isEmpty() || excluded(rel, ignored) && !name.equals(dockerfileName) && !name.equals(".dockerignore")) continue;
        if (Files.isSymbolicLink(p)) {
          header(out, name, 0777, 0, '2', Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          header(out, name + "/", 0755, 0, '5', "");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          file(out, name, Files.isExecutable(p) ? 0755 : 0644, p);
        }
      }
      if (!inside) file(out, OUTSIDE, 0644, dockerfile);
      out.write(new byte[2 * BLOCK]);
    }
    return dockerfileName;
  }

  private static void file(OutputStream out, String name, int mode, Path p) throws IOException {
    long size = Files.size(p);
    header(out, name, mode, size, '0', "");
    Files.copy(p, out);
    out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
  }

  /** One {@code .dockerignore} line: a glob, and whether it leaves out ({@code true}) or takes back ({@code !}). */
  private record Rule(PathMatcher glob, boolean exclude) {
    boolean matches(Path rel) {
      for (Path p = rel; p != null; p = p.getParent()) if (glob.matches(p)) return true;
      return false;
    }
  }

  private static boolean excluded(Path rel, List<Rule> ignored) {
    if (rel.getName(0).toString().equals(".git")) return true;
    boolean out = false;
    for (Rule r : ignored) if (r.matches(rel)) out = r.exclude();
    return out;
  }

  private static List<Rule> ignored(Path context) throws IOException {
    Path file = context.resolve(".dockerignore");
    List<Rule> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) return out;
    for (String line : Files.readAllLines(file)) {
      String glob = line.strip();
      if (glob.isEmpty() || glob.startsWith("#")) continue;
      boolean exclude = !glob.startsWith("!");
      if (!exclude) glob = glob.substring(1).strip();
      glob = glob.replaceFirst("^(\\./|/)+", "");
      if (glob.endsWith("/")) glob = glob.substring(0, glob.length() - 1);
      if (!glob.isEmpty()) out.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + glob), exclude));
    }
    return out;
  }

  private static String name(Path rel) {
    return rel.toString().replace('\\', '/');
  }

  private static void header(OutputStream out, String name, int mode, long size, char type, String link) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 99) longName(out, 'L', nameBytes);
    if (linkBytes.length > 99) longName(out, 'K', linkBytes);
    byte[] h = new byte[BLOCK];
    put(h, 0, nameBytes, 99);
    put(h, 100, octal(mode, 7), 8);
    put(h, 108, octal(0, 7), 8);
    put(h, 116, octal(0, 7), 8);
    put(h, 124, octal(size, 11), 12);
    put(h, 136, octal(0, 11), 12);
    h[156] = (byte) type;
    put(h, 157, linkBytes, 99);
    put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII), 6);
    put(h, 263, "00".getBytes(StandardCharsets.US_ASCII), 2);
    for (int i = 148; i < 156; i++) h[i] = ' '; // the checksum is computed with its own field as spaces
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, octal(sum, 6), 6);
    h[154] = 0;
    h[155] = ' ';
    out.write(h);
  }

  /** A GNU long name (or link) entry: the next header's whole name, which its own field cuts at 99 bytes. */
  private static void longName(OutputStream out, char type, byte[] value) throws IOException {
    header(out, "././@LongLink", 0, value.length + 1, type, "");
    out.write(value);
    out.write(0);
    out.write(new byte[(int) ((BLOCK - (value.length + 1) % BLOCK) % BLOCK)]);
  }

  private static byte[] octal(long value, int digits) {
    String s = Long.toOctalString(value);
    if (s.length() > digits) throw new IllegalArgumentException("too large for a tar header: " + value);
    return ("0".repeat(digits - s.length()) + s).getBytes(StandardCharsets.US_ASCII);
  }

  private static void put(byte[] header, int offset, byte[] value, int max) {
    System.arraycopy(value, 0, header, offset, Math.min(max, value.length));
  }
}
