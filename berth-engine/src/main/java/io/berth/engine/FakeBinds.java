package io.berth.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@link FakeEngine} container's bind mounts ({@code HOST:CONTAINER[:ro]}): at create the host's
 * directories and files are copied into the container's file tree (directories first, so a file bound
 * inside a bound directory shows its own content), and what the container writes under a bound
 * directory is written to the host too, as through a real bind.
 */
final class FakeBinds {
  private FakeBinds() {}

  /** The directory binds: container path to host directory. */
  static Map<String, Path> directories(List<String> binds) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String bind : binds) {
      String[] parts = bind.split(":");
      if (parts.length >= 2 && Files.isDirectory(Path.of(parts[0]))) out.put(FakeEngine.normalize(parts[1]), Path.of(parts[0]));
    }
    return out;
  }

  /** Copies every bound directory's tree, then every bound file, into {@code tree}. */
  static void copyIn(List<String> binds, TreeMap<String, TarReader.Entry> tree) throws IOException {
    for (var d : directories(binds).entrySet()) {
      try (Stream<Path> all = Files.walk(d.getValue())) {
        for (Path p : all.toList()) {
          String at = FakeEngine.normalize(d.getKey() + "/" + d.getValue().relativize(p));
          if (Files.isSymbolicLink(p)) tree.put(at, new TarReader.Entry(at, '2', 0777, new byte[0], Files.readSymbolicLink(p).toString()));
          else if (Files.isDirectory(p)) tree.put(at, new TarReader.Entry(at, '5', 0755, new byte[0], ""));
          else tree.put(at, new TarReader.Entry(at, '0', 0644, Files.readAllBytes(p), ""));
        }
      }
    }
    for (String bind : binds) {
      String[] parts = bind.split(":");
      Path host = Path.of(parts[0]);
      if (parts.length >= 2 && Files.isRegularFile(host)) {
        String at = FakeEngine.normalize(parts[1]);
        tree.put(at, new TarReader.Entry(at, '0', 0755, Files.readAllBytes(host), ""));
      }
    }
  }

  /** Writes {@code e}, just put at {@code at} in the container, to the host when a directory bind holds that path. */
  static void mirror(Map<String, Path> directories, String at, TarReader.Entry e) {
    List<String> prefixes = new ArrayList<>(directories.keySet());
    prefixes.sort((a, b) -> b.length() - a.length());
    for (String prefix : prefixes) {
      if (!at.startsWith(prefix + "/")) continue;
      Path host = directories.get(prefix).resolve(at.substring(prefix.length() + 1));
      try {
        if (e.type() == '5') Files.createDirectories(host);
        else if (e.isFile()) {
          Files.createDirectories(host.getParent());
          Files.write(host, e.content());
        }
      } catch (IOException failed) {
        throw new EngineException(500, "cannot write " + at + " through its bind: " + failed.getMessage());
      }
      return;
    }
  }
}
