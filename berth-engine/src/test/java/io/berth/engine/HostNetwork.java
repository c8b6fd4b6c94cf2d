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

  /**
   * Lets containers on one bridge reach each other. These engines run with {@code --iptables=false}, so
   * they add no forwarding rule of their own; on a host where another dockerd set the FORWARD policy to
   * DROP and {@code br_netfilter} hands bridged frames to iptables, two containers on one user network
   * (compose's {@code project_default}) could resolve each other through the embedded DNS but not
   * connect. Accepting bridged traffic is what Docker's own rule for an inter-container network does.
   * Without iptables (or without the physdev match) there is no such policy to lift, and nothing is done.
   */
  static void allowBridgedTraffic() {
    List<String> rule = List.of("FORWARD", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT");
    if (run("iptables", "-C", rule) != 0) run("iptables", "-I", rule);
  }

  private static int run(String tool, String op, List<String> rule) {
    List<String> command = new ArrayList<>(List.of(tool, op));
    command.addAll(rule);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1; // no iptables here: no policy to lift
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
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
