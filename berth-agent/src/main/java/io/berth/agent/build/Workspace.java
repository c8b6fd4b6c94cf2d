package io.berth.agent.build;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One build's directory on the node, {@code DATADIR/builds/NAME}: {@code src} the checkout (kept
 * between runs and fetched into), {@code cache/KEY} the caches kept between runs, {@code tmp} what
 * a run throws away (the prepare steps' output files, the empty caches of {@code --no-cache}, the
 * image's context tar). Every path given by the build is checked to stay
 * inside: a cache {@code ../../etc} is refused, not mounted.
 */
final class Workspace {
  /** In the containers of prepare steps, the checkout. */
  static final String MOUNT = "/workspace";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private final Path root;

  Workspace(Path buildsDir, String build) throws StepFailed {
    if (!NAME.matcher(build).matches()) throw new StepFailed("build name '" + build + "' cannot name a directory on the node");
    this.root = buildsDir.resolve(build).toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path src() {
    return root.resolve("src");
  }

  Path logs() {
    return tmp().resolve("logs");
  }

  Path tmp() {
    return root.resolve("tmp");
  }

  /** A path of the build's settings ({@code ci/Dockerfile}, the context {@code .}) inside the checkout. */
  Path inSource(String what, String relative) throws StepFailed {
    return noLinkOut(src(), inside(src(), what, relative), what, relative);
  }

  /** A cache mount: where it lives on the node and where the step's container sees it. */
  record Mount(String key, Path host, String container) {
    String bind() {
      return host + ":" + container;
    }
  }

  /**
   * The mounts of {@code caches}: {@code m2} at {@code /root/.m2}, {@code npm} at
   * {@code /root/.npm}, a relative DIR at {@code /workspace/DIR}, from {@code cache/m2},
   * {@code cache/npm} and {@code cache/dirs/DIR}, or, with {@code noCache}, from empty directories
   * under {@code tmp} that the run removes. Each host directory is made here.
   */
  List<Mount> mounts(List<String> caches, boolean noCache) throws StepFailed {
    Path base = noCache ? tmp().resolve("cache") : root.resolve("cache");
    List<Mount> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String cache : caches) {
      if (!seen.add(cache)) continue;
      Mount m = switch (cache) {
        case "m2" -> new Mount(cache, base.resolve("m2"), "/root/.m2");
        case "npm" -> new Mount(cache, base.resolve("npm"), "/root/.npm");
        default -> {
          Path dir = inside(base.resolve("dirs"), "cache", cache);
          yield new Mount(cache, dir, MOUNT + "/" + base.resolve("dirs").relativize(dir).toString().replace('\\', '/'));
        }
      };
      try {
        Files.createDirectories(m.host());
      } catch (IOException e) {
        throw new StepFailed("cannot make the cache directory " + m.host() + ": " + e.getMessage());
      }
      out.add(new Mount(m.key(), noLinkOut(base, m.host(), "cache", cache), m.container()));
    }
    return out;
  }

  /** {@code relative} resolved in {@code base}, refused when it is absolute, empty or leaves {@code base}. */
  static Path inside(Path base, String what, String relative) throws StepFailed {
    if (relative == null || relative.isBlank()) throw new StepFailed(what + ": an empty path");
    Path p = Path.of(relative);
    Path resolved = base.resolve(p).normalize();
    if (p.isAbsolute() || !resolved.startsWith(base) || (what.equals("cache") && resolved.equals(base))) {
      throw new StepFailed(what + " '" + relative + "' is outside the build's directory: give a path relative to the repository, without '..'");
    }
    return resolved;
  }

  /**
   * {@code path} when it really is inside {@code base}: a symbolic link the repository or an earlier
   * step made ({@code ci -> /etc}) must not carry a build's files, or a mount, out of its directory.
   */
  private static Path noLinkOut(Path base, Path path, String what, String relative) throws StepFailed {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent(); // a missing file under a linked dir
    try {
      if (existing != null && existing.startsWith(base) && !existing.toRealPath().startsWith(base.toRealPath())) {
        throw new StepFailed(what + " '" + relative + "' leads outside the build's directory through a symbolic link");
      }
      return path;
    } catch (IOException e) {
      throw new StepFailed(what + " '" + relative + "': " + e.getMessage());
    }
  }

  /** Removes what this run threw away ({@code tmp}); a failure leaves it for the next run to remove. */
  void cleanTmp() {
    delete(tmp());
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) return;
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a container's root-owned file, say: the next run tries again
    }
  }
}
