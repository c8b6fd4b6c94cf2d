package io.berth.agent.work;

import io.berth.agent.work.ScriptCompiler.Script;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each instance's {@code /.berth} as a directory on the node ({@code DATA/instances/GUID}), bind-mounted
 * into its container when the engine shares this host's files: the scripts are written before the create
 * instead of put into the created container as an archive (for which the engine mounts the container's
 * filesystem, on the create path of every instance), and what the scripts leave there (the reason of an
 * exit) is read from the disk rather than through the engine. A directory lives while its guid is assigned
 * or has a container; {@link #sweep} removes the rest.
 */
final class InstanceDirs {
  private static final Logger log = LoggerFactory.getLogger(InstanceDirs.class);
  /** Guids come from the manager; anything else is never made into a path. */
  private static final Pattern GUID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final int MAX_READ = 64 * 1024;
  private final Path root;

  InstanceDirs(Path dataDir) {
    this.root = dataDir.resolve("instances");
  }

  /** The directory of {@code guid}, written afresh with the scripts and the run, monitor and download directories. */
  Path prepare(String guid, Script main, Script monitor) throws IOException {
    Path dir = of(guid).orElseThrow(() -> new IOException("not an instance guid: " + guid));
    deleteTree(dir);
    Files.createDirectories(dir.resolve("dl"));
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("mon"));
    Files.createFile(dir.resolve("busybox")); // the node's busybox is bind-mounted over it, read-only
    Files.createSymbolicLink(dir.resolve("sh"), Path.of("busybox"));
    Files.writeString(dir.resolve("run.sh"), main.text(), StandardCharsets.UTF_8);
    if (monitor != null) Files.writeString(dir.resolve("monitor.sh"), monitor.text(), StandardCharsets.UTF_8);
    return dir;
  }

  /**
   * A file the container sees at {@code containerPath} under {@code /.berth}, read from the disk (its first
   * {@value #MAX_READ} bytes); empty when it is not there. The container can write in its directory, so a
   * path that resolves outside it (a symbolic link the container made) or to anything but a regular file is
   * never read: the agent runs as root, and a link to a host file must not bring its content back as a reason.
   */
  Optional<byte[]> read(String guid, String containerPath) {
    String prefix = ScriptCompiler.DIR + "/";
    if (!containerPath.startsWith(prefix)) return Optional.empty();
    Optional<Path> dir = of(guid).filter(Files::isDirectory);
    if (dir.isEmpty()) return Optional.empty();
    try {
      Path home = dir.get().toRealPath();
      Path file = home.resolve(containerPath.substring(prefix.length())).toRealPath();
      if (!file.startsWith(home) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(in.readNBytes(MAX_READ));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Empties the directories a run writes in ({@code run}, {@code mon}), before the container runs again. */
  void clearRun(String guid) throws IOException {
    Path dir = of(guid).orElseThrow(() -> new IOException("not an instance guid: " + guid));
    for (String sub : new String[] {"run", "mon"}) {
      deleteTree(dir.resolve(sub));
      Files.createDirectories(dir.resolve(sub));
    }
  }

  /** True when {@code guid} has a directory here (its container was made with it bound). */
  boolean has(String guid) {
    return of(guid).map(Files::isDirectory).orElse(false);
  }

  /** Removes the directory of {@code guid}, if any. */
  void remove(String guid) {
    of(guid).ifPresent(InstanceDirs::deleteQuietly);
  }

  /** Removes every directory whose guid {@code keep} does not hold (an instance gone while the agent was down, or after). */
  void sweep(Predicate<String> keep) {
    if (!Files.isDirectory(root)) return;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        if (!keep.test(d.getFileName().toString())) deleteQuietly(d);
      }
    } catch (IOException e) {
      log.warn("instance-dirs-sweep-failed dir={}: {}", root, e.toString());
    }
  }

  private Optional<Path> of(String guid) {
    return GUID.matcher(guid).matches() ? Optional.of(root.resolve(guid)) : Optional.empty();
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      log.warn("instance-dir-remove-failed dir={}: {}", dir, e.toString());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    }
  }
}
