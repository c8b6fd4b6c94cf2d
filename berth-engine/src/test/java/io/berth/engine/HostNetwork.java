package io.berth.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The host-side plumbing of local engines: Linux bridges via {@code ip}, and who runs dockerd. */
final class HostNetwork {
  private HostNetwork() {}

  /** True when the link exists. */
  static boolean linkExists(String name) {
    return Files.exists(Path.of("/sys/class/net", name));
  }

  /** Creates the bridge when absent and (re)sets its address and state; returns true if created. */
  static boolean ensureBridge(String name, String cidr) {
    boolean created = false;
    if (!linkExists(name)) {
      ip("link", "add", name, "type", "bridge");
      created = true;
    }
    ip("addr", "replace", cidr, "dev", name);
    ip("link", "set", name, "up");
    return created;
  }

  static void deleteBridge(String name) {
    if (linkExists(name)) {
      ip("link", "del", name);
    }
  }

  /** The pid of a running dockerd started with {@code --bridge name}, if any. */
  static Optional<Long> dockerdUsingBridge(String name) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> usesBridge(p.resolve("cmdline"), name))
          .map(p -> Long.parseLong(p.getFileName().toString())).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean usesBridge(Path cmdline, String bridge) {
    try {
      List<String> args = List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
      if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().equals("dockerd")) {
        return false;
      }
      int i = args.indexOf("--bridge");
      return (i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(bridge)) || args.contains("--bridge=" + bridge);
    } catch (IOException | RuntimeException gone) {
      return false; // the process ended while we looked
    }
  }

  /** Runs {@code ip ARGS}; fails with ip's own complaint. */
  static void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
