package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
  static final Duration GRACE = Duration.ofSeconds(5);
  @TempDir
  Path dir;
  final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  /** A fake child a killed parent left behind: {@code sleep SECONDS}, its pid in the pid file. */
  PidFile leftOver(String... command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    children.add(p);
    PidFile f = new PidFile(dir.resolve("child.pid"));
    f.write(p.pid());
    // The command line shows once the exec is done.
    for (int i = 0; i < 250 && !PidFile.commandLine(p.pid()).startsWith("sleep"); i++) Thread.sleep(20);
    return f;
  }

  @Test
  void stopsALeftOverWhoseCommandLineIsOurs() throws Exception {
    PidFile f = leftOver("sleep", "987654");
    Process child = children.get(0);

    assertThat(f.stopLeftOver("fake", c -> c.equals("sleep 987654"), GRACE)).contains(child.pid());
    assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(143); // SIGTERM was enough
  }

  @Test
  void killsALeftOverThatIgnoresSigterm() throws Exception {
    PidFile f = leftOver("sh", "-c", "trap '' TERM; exec sleep 987655"); // an ignored signal stays ignored across exec
    Process child = children.get(0);

    assertThat(f.stopLeftOver("fake", c -> c.equals("sleep 987655"), Duration.ofMillis(300))).contains(child.pid());
    assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
  }

  @Test
  void leavesAProcessThatReusedThePidAlone() throws Exception {
    PidFile f = leftOver("sleep", "987656");

    assertThat(f.stopLeftOver("fake", c -> c.equals("sleep 987654"), GRACE)).isEmpty();
    assertThat(children.get(0).isAlive()).isTrue();
  }

  @Test
  void aMissingOrGarbledPidFileIsNoLeftOver() throws Exception {
    PidFile f = new PidFile(dir.resolve("none.pid"));
    assertThat(f.stopLeftOver("fake", c -> true, GRACE)).isEmpty();

    Files.writeString(dir.resolve("none.pid"), "not a pid\n");
    assertThat(f.read()).isEmpty();
    assertThat(f.stopLeftOver("fake", c -> true, GRACE)).isEmpty();
  }

  @Test
  void aDeadPidIsNoLeftOver() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    PidFile f = new PidFile(dir.resolve("gone.pid"));
    f.write(p.pid());

    assertThat(f.read()).contains(p.pid());
    assertThat(f.stopLeftOver("fake", c -> true, GRACE)).isEmpty();
  }
}
