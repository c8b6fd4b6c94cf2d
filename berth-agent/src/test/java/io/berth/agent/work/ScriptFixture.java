package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lrp.Action;
import io.berth.core.lrp.Action.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs compiled scripts with the host's static busybox, the agent's files in a temporary directory instead of /.berth. */
abstract class ScriptFixture {
  static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
  @TempDir Path dir;

  @BeforeEach
  void layout() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(HOST_BUSYBOX), "no /bin/busybox (apt-get install busybox-static)");
    Files.createSymbolicLink(dir.resolve("busybox"), HOST_BUSYBOX);
    Files.createSymbolicLink(dir.resolve("sh"), Path.of("busybox"));
    Files.createDirectories(dir.resolve("dl"));
  }

  static Run run(String source, String path, String... args) {
    return new Run(path, List.of(args), null, List.of(), null, "root", source);
  }

  static Run sh(String source, String script) {
    return run(source, "/bin/busybox", "sh", "-c", script);
  }

  record Ended(int status, String out, String err, long millis) {}

  Ended runMain(Action setup, Action action, boolean daemonOk, String source) throws Exception {
    return exec(ScriptCompiler.main(dir.toString(), setup, action, daemonOk, source).text(), "run.sh");
  }

  Ended exec(String script, String file) throws Exception {
    Files.writeString(dir.resolve(file), script);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(dir.resolve("busybox").toString(), "sh", dir.resolve(file).toString())
        .directory(dir.toFile()).start();
    p.getOutputStream().close();
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    Thread a = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
    Thread b = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("script ended").isTrue();
    a.join(2000);
    b.join(2000);
    return new Ended(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - t0) / 1_000_000);
  }

  static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process ended
    }
  }

  String reason() throws IOException {
    return Files.readString(dir.resolve("run/reason")).trim();
  }
}
