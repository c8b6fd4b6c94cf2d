package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real SMTP server for alert tests: Debian's python3-aiosmtpd ({@code python3 -m aiosmtpd}) on a
 * loopback port, delivering every message to a maildir the test reads. Each message keeps the
 * envelope it came with ({@code X-MailFrom}, one {@code X-RcptTo} per recipient).
 */
final class SmtpSink implements AutoCloseable {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private final BerthProcess process;
  private final Path maildir;
  private final int port;

  private SmtpSink(BerthProcess process, Path maildir, int port) {
    this.process = process;
    this.maildir = maildir;
    this.port = port;
  }

  /** Starts the server on a free loopback port with its maildir under {@code dir}. */
  static SmtpSink start(Path dir) throws IOException {
    return start(dir, Ports.free());
  }

  /** Starts the server on loopback port {@code port} with its maildir under {@code dir}. */
  static SmtpSink start(Path dir, int port) throws IOException {
    Path box = dir.resolve("maildir");
    BerthProcess p = BerthProcess.exec("smtp", dir, List.of(PYTHON.toString(), "-m", "aiosmtpd", "-n",
        "-l", "127.0.0.1:" + port, "-c", "aiosmtpd.handlers.Mailbox", box.toString()));
    SmtpSink s = new SmtpSink(p, box, port);
    Ports.awaitListening("127.0.0.1", port, Duration.ofSeconds(15));
    return s;
  }

  /** {@code 127.0.0.1:PORT}, as {@code --smtp} takes it. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** Every message delivered so far, headers and body as received. */
  List<String> messages() throws IOException {
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) return List.of();
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(fresh)) {
      for (Path f : files.sorted().toList()) out.add(Files.readString(f));
    }
    return out;
  }

  /** The envelope recipients of one message. */
  static List<String> recipients(String message) {
    return message.lines().filter(l -> l.startsWith("X-RcptTo: "))
        .flatMap(l -> Stream.of(l.substring("X-RcptTo: ".length()).split(",\\s*"))).toList();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
