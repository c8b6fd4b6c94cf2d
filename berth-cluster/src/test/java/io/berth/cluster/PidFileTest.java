package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
  void aZombieIsNotRunning() throws Exception {
    // The zombie is a grandchild whose parent never waits for it, as init may not for an orphan.
    Process parent = new ProcessBuilder("python3", "-c",
        "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(987)").start();
    children.add(parent);
    long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream())).readLine().strip());
    for (int i = 0; i < 250 && PidFile.running(zombie); i++) Thread.sleep(20);

    assertThat(Files.exists(Path.of("/proc", Long.toString(zombie)))).as("not reaped").isTrue();
    assertThat(PidFile.running(zombie)).isFalse();
    assertThat(PidFile.running(parent.pid())).isTrue();
  }

  @Test
  void aProcessWhoseLeaderExitedButAnotherThreadRunsIsRunning() throws Exception {
    // As a Go registry on SIGTERM: the leader thread turns zombie first while another still holds
    // the shared files, the listening socket among them.
    Process p = new ProcessBuilder("python3", "-c", "import threading, time, ctypes, os\n"
        + "threading.Thread(target=lambda: time.sleep(987)).start()\n"
        + "print(os.getpid(), flush=True)\nctypes.CDLL(None).pthread_exit(None)").start();
    children.add(p);
    new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    Path leader = Path.of("/proc", Long.toString(p.pid()), "stat");
    for (int i = 0; i < 250 && !Files.readString(leader).contains(") Z"); i++) Thread.sleep(20);

    assertThat(Files.readString(leader)).as("the leader thread is a zombie").contains(") Z");
    assertThat(PidFile.running(p.pid())).isTrue();
    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    assertThat(PidFile.running(p.pid())).isFalse();
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
