package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lrp.Action.Codependent;
import io.berth.core.lrp.Action.Download;
import io.berth.core.lrp.Action.EmitProgress;
import io.berth.core.lrp.Action.EnvVar;
import io.berth.core.lrp.Action.Parallel;
import io.berth.core.lrp.Action.ResourceLimits;
import io.berth.core.lrp.Action.Run;
import io.berth.core.lrp.Action.Serial;
import io.berth.core.lrp.Action.Timeout;
import io.berth.core.lrp.Action.Try;
import io.berth.engine.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The compiled scripts, run by the host's static busybox exactly as in a container (the agent's
 * files in a directory of their own, here a temporary one instead of /.berth).
 */
class ScriptCompilerTest extends ScriptFixture {
  @Test
  void aRunActionExecsItsPathWithQuotedArgsAndTagsItsOutput() throws Exception {
    Ended e = runMain(null, run("APP", "/bin/busybox", "echo", "it's", "$HOME", "a  b"), false, "DEFAULT");
    assertThat(e.status()).isZero();
    assertThat(e.out()).isEqualTo("[APP] it's $HOME a  b\n");
    assertThat(reason()).isEqualTo("exited with status 0");
    assertThat(dir.resolve("run/started")).exists();
  }

  @Test
  void stderrIsTaggedOnStderrAndAnActionWithoutSourceInheritsItsParents() throws Exception {
    Ended e = runMain(null, new Serial(List.of(sh(null, "echo out; echo oops >&2"), sh("OWN", "echo mine")), "STG"),
        false, "DEFAULT");
    assertThat(e.out()).isEqualTo("[STG] out\n[OWN] mine\n");
    assertThat(e.err()).isEqualTo("[STG] oops\n");
  }

  @Test
  void withoutAnySourceLinesAreUntagged() throws Exception {
    assertThat(runMain(null, sh(null, "echo plain"), false, "").out()).isEqualTo("plain\n");
  }

  @Test
  void envDirAndNofileApplyToTheProcess() throws Exception {
    Files.createDirectories(dir.resolve("work"));
    Run r = new Run("/bin/busybox", List.of("sh", "-c", "echo $FOO \"$BAR\" $(pwd) $(ulimit -n)"), dir.resolve("work").toString(),
        List.of(new EnvVar("FOO", "foo"), new EnvVar("BAR", "it's a bar")), new ResourceLimits(256L), "root", "APP");
    assertThat(runMain(null, r, false, null).out()).isEqualTo("[APP] foo it's a bar " + dir.resolve("work") + " 256\n");
  }

  @Test
  void serialStopsAtTheFirstFailureAndTheScriptExitsWithItsStatus() throws Exception {
    Ended e = runMain(null, new Serial(List.of(sh("A", "echo one"), sh("A", "exit 3"), sh("A", "echo never")), null),
        false, null);
    assertThat(e.status()).isEqualTo(3);
    assertThat(e.out()).isEqualTo("[A] one\n");
    assertThat(reason()).isEqualTo("exited with status 3");
  }

  @Test
  void aFailingSetupNeverStartsTheActionAndSaysSo() throws Exception {
    Ended e = runMain(sh("SETUP", "exit 2"), sh("APP", "echo never"), false, null);
    assertThat(e.status()).isEqualTo(2);
    assertThat(e.out()).isEmpty();
    assertThat(reason()).isEqualTo("setup failed: exited with status 2");
    assertThat(dir.resolve("run/started")).doesNotExist();
  }

  @Test
  void parallelRunsAtOnceWaitsForAllAndFailsWithTheFirstFailureInOrder() throws Exception {
    Ended e = runMain(null, new Parallel(List.of(sh("P", "sleep 0.3; echo slow; exit 4"), sh("P", "echo fast"),
        sh("P", "exit 5")), null), false, null);
    assertThat(e.out()).isEqualTo("[P] fast\n[P] slow\n");
    assertThat(e.status()).isEqualTo(4);
    assertThat(e.millis()).isLessThan(2000);
  }

  @Test
  void codependentEndsAllWhenOneExitsAndAlwaysFails() throws Exception {
    Ended failing = runMain(null, new Codependent(List.of(sh("C", "sleep 10"), sh("C", "sleep 0.2; exit 3")), null), false, null);
    assertThat(failing.status()).isEqualTo(3);
    assertThat(failing.millis()).isLessThan(3000);
    Ended clean = runMain(null, new Codependent(List.of(sh("C", "sleep 10"), sh("C", "echo done")), null), false, null);
    assertThat(clean.status()).isEqualTo(1);
    assertThat(clean.out()).isEqualTo("[C] done\n");
    assertThat(clean.millis()).isLessThan(3000);
  }

  @Test
  void timeoutKillsTheWholeSubtreeAndFailsWith124() throws Exception {
    Ended e = runMain(null, new Timeout(new Serial(List.of(sh("T", "echo started; sleep 10"), sh("T", "echo never")), null),
        300_000_000L, null), false, "T");
    assertThat(e.status()).isEqualTo(124);
    assertThat(e.out()).isEqualTo("[T] started\n[T] timed out after 0.3s\n");
    assertThat(e.millis()).isLessThan(3000);
    Ended inTime = runMain(null, new Timeout(sh("T", "exit 6"), 5_000_000_000L, null), false, null);
    assertThat(inTime.status()).isEqualTo(6);
    assertThat(inTime.millis()).isLessThan(3000);
  }

  @Test
  void tryIgnoresAFailure() throws Exception {
    Ended e = runMain(null, new Serial(List.of(new Try(sh("T", "exit 9"), null), sh("T", "echo after")), null), false, null);
    assertThat(e.status()).isZero();
    assertThat(e.out()).isEqualTo("[T] after\n");
  }

  @Test
  void emitProgressSaysStartSuccessAndFailure() throws Exception {
    assertThat(runMain(null, new EmitProgress(sh(null, "echo work"), "Starting", "Done", "Failed", "E"), false, null).out())
        .isEqualTo("[E] Starting\n[E] work\n[E] Done\n");
    Ended failed = runMain(null, new EmitProgress(sh(null, "exit 7"), "Starting", "Done", "Failed", "E"), false, null);
    assertThat(failed.out()).isEqualTo("[E] Starting\n[E] Failed: exited with status 7\n");
    assertThat(failed.status()).isEqualTo(7);
  }

  @Test
  void downloadsUnpackTgzZipAndTarAtTheirPlaceInTheTree() throws Exception {
    Files.write(dir.resolve("dl/f2.tgz"), tgz("app/hello.txt", "hello\n"));
    Files.write(dir.resolve("dl/f3.zip"), zip("lib/z.txt", "zipped\n"));
    Path to = dir.resolve("app-root");
    var setup = new Serial(List.of(new Download("droplet", "http://x/d.tgz", to.toString(), "root", null, "STG"),
        new Download(null, "http://x/l.zip", to.toString(), "root", "k", null)), "STG");
    var script = ScriptCompiler.main(dir.toString(), setup, sh("APP", "cat " + to + "/app/hello.txt " + to + "/lib/z.txt"), false, null);
    assertThat(script.fetches()).extracting(ScriptCompiler.Fetch::id).containsExactly("f2", "f3");
    Ended e = exec(script.text(), "run.sh");
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(e.out()).isEqualTo("[STG] Downloading droplet...\n[STG] Downloaded droplet\n[APP] hello\n[APP] zipped\n");
    assertThat(dir.resolve("dl/f2.tgz")).doesNotExist(); // unpacked archives are removed
  }

  @Test
  void aDownloadTheAgentCouldNotFetchFailsAtItsPlaceWithTheReason() throws Exception {
    Files.writeString(dir.resolve("dl/f2.error"), "GET http://x/d.tgz answered 404");
    var setup = new Try(new Download(null, "http://x/d.tgz", dir.resolve("a").toString(), "root", null, null), "STG");
    Ended tolerated = runMain(setup, sh("APP", "echo ran"), false, null);
    assertThat(tolerated.err()).isEqualTo("[STG] download failed: GET http://x/d.tgz answered 404\n");
    assertThat(tolerated.out()).isEqualTo("[APP] ran\n");
    Files.writeString(dir.resolve("dl/f1.error"), "connection refused");
    Ended failed = runMain(new Download(null, "http://x/d.tgz", dir.resolve("a").toString(), "root", null, null),
        sh("APP", "echo never"), false, "STG");
    assertThat(failed.status()).isEqualTo(1);
    assertThat(reason()).isEqualTo("setup failed: exited with status 1");
  }

  @Test
  void aDaemonisingActionKeepsTheContainerAliveWhenMonitored() throws Exception {
    String script = ScriptCompiler.main(dir.toString(), null, sh("APP", "echo forked"), true, null).text();
    Files.writeString(dir.resolve("run.sh"), script);
    Process p = new ProcessBuilder(dir.resolve("busybox").toString(), "sh", dir.resolve("run.sh").toString()).start();
    try {
      assertThat(p.waitFor(700, TimeUnit.MILLISECONDS)).as("still running").isFalse();
      p.destroy(); // SIGTERM: the script stops its jobs and exits 143
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aMonitorScriptExitsWithItsActionsStatus() throws Exception {
    assertThat(exec(ScriptCompiler.monitor(dir.toString(), sh(null, "exit 0"), "HEALTH").text(), "monitor.sh").status()).isZero();
    assertThat(exec(ScriptCompiler.monitor(dir.toString(), sh(null, "exit 1"), "HEALTH").text(), "monitor.sh").status()).isEqualTo(1);
  }

  @Test
  void compilesToReadableFunctions() {
    String text = ScriptCompiler.main(new Serial(List.of(run("A", "/bin/app", "--port", "8080")), null), null, false, null).text();
    assertThat(text).startsWith("#!/.berth/busybox sh\n")
        .contains("f1() {\n  f2 || return $?\n}\n")
        .contains("f2_p() {\n  _as 'root' exec '/bin/app' '--port' '8080'\n}\n")
        .endsWith("f=${1:-main}; [ $# -gt 0 ] && shift\n\"$f\" \"$@\"\n");
    assertThat(ScriptCompiler.seconds(250_000_000L)).isEqualTo("0.25");
    assertThat(ScriptCompiler.seconds(60_000_000_000L)).isEqualTo("60");
    assertThat(ScriptCompiler.q("it's")).isEqualTo("'it'\\''s'");
  }

  static byte[] tgz(String name, String content) throws IOException {
    byte[] body = content.getBytes(StandardCharsets.UTF_8);
    var tar = new TarWriter().directory(name.substring(0, name.indexOf('/')), 0755).file(name, 0644, body).finish();
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(tar);
    }
    return out.toByteArray();
  }

  static byte[] zip(String name, String content) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return out.toByteArray();
  }
}
