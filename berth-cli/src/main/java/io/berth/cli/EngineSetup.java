package io.berth.cli;

import io.berth.engine.ContainerEngine;
import io.berth.engine.DockerEngine;
import io.berth.engine.EngineException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes sure {@code berth dev} has an engine: on a fresh Debian machine, as root, with no engine
 * answering at the default socket, it installs {@code docker.io} and starts {@code dockerd}, and
 * says so. Anywhere else it explains what is missing instead of changing the machine.
 */
record EngineSetup(PrintStream out, Path dataDir) {
  static final String DEFAULT_ENGINE = "unix:///var/run/docker.sock";

  /**
   * Fails at once, before anything starts beside the check, when an engine the user named ({@code --engine},
   * not the default one berth dev may install) cannot even be connected to: a missing socket, nobody listening.
   */
  static void refuseUnreachable(String url) {
    if (url.equals(DEFAULT_ENGINE) || connects(url)) return;
    throw new IllegalStateException("no Docker engine answers at " + url + ": start it, or leave out --engine to use the local one");
  }

  private static boolean connects(String url) {
    try {
      if (url.startsWith("unix://")) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          ch.connect(UnixDomainSocketAddress.of(url.substring("unix://".length())));
        }
        return true;
      }
      if (!url.startsWith("tcp://")) return true; // another scheme: the engine client's own check says what is wrong
      URI u = URI.create(url.replaceFirst("^tcp://", "http://"));
      if (u.getHost() == null) return true;
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 2375 : u.getPort()), 1000);
      }
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns an engine that answers at {@code url}, installing and starting Docker when allowed. */
  ContainerEngine ensure(String url) throws IOException, InterruptedException {
    DockerEngine engine = new DockerEngine(url);
    try {
      engine.ping();
      return engine;
    } catch (EngineException e) {
      if (!url.equals(DEFAULT_ENGINE)) {
        engine.close();
        throw new IllegalStateException("no Docker engine answers at " + url + ": start it, or leave out --engine to use the local one");
      }
    }
    if (!isRoot()) {
      engine.close();
      throw new IllegalStateException("no Docker engine answers at " + url + ", and only root may install or start one: run 'sudo dockerd &' (or install docker.io) first");
    }
    if (which("dockerd") == null) {
      if (which("apt-get") == null) {
        engine.close();
        throw new IllegalStateException("no Docker engine here and no apt-get to install one: install Docker, then run berth dev again");
      }
      Packages.install(out, dataDir, "docker.io");
    }
    Path log = dataDir.resolve("dockerd.log");
    out.println("berth dev: starting dockerd (log: " + log + ") ...");
    // In a session of its own, so that a Ctrl-C aimed at berth dev does not reach dockerd.
    List<String> cmd = which("setsid") != null ? List.of("setsid", "dockerd") : List.of("dockerd");
    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    for (int i = 0; i < 300; i++) {
      try {
        engine.ping();
        out.println("berth dev: dockerd is up; it keeps running when berth dev stops");
        return engine;
      } catch (EngineException e) {
        Thread.sleep(100);
      }
    }
    engine.close();
    List<String> tail = Files.readAllLines(log);
    throw new IllegalStateException("dockerd did not start within 30 s; last line of " + log + ": "
        + (tail.isEmpty() ? "(empty)" : tail.get(tail.size() - 1)));
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static Path which(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) return p;
    }
    for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }
}
