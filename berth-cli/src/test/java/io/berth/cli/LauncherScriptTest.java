package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's JVM flags from scripts/lib.sh, run in bash against a stand-in JDK and jar. */
class LauncherScriptTest {
  static final Path LIB = Path.of("..", "scripts", "lib.sh").toAbsolutePath().normalize();

  @TempDir Path dir;
  Path jar;

  @BeforeEach
  void jdkAndJar() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 1\n"); // a training run that fails: no cache is made
    bin.resolve("java").toFile().setExecutable(true);
    Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"21.0.5\"\n");
    jar = Files.writeString(dir.resolve("berth.jar"), "jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
  }

  /** The lines bash prints for {@code script} after sourcing lib.sh, with JAVA_HOME the stand-in JDK. */
  List<String> bash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; . '" + LIB + "'; JAVA_HOME='" + dir.resolve("jdk") + "'; jar='"
        + jar + "'; opts=(); " + script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void javaHomeIsTheJdkWhenItIsOneOf21OrNewer() throws Exception {
    Path javac = Files.writeString(dir.resolve("jdk/bin/javac"), "#!/bin/sh\n");
    javac.toFile().setExecutable(true);
    assertThat(bash("berth_find_jdk")).containsExactly(dir.resolve("jdk").toString());
    Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.2\"\n");
    assertThat(bash("berth_find_jdk 2>/dev/null || true")).doesNotContain(dir.resolve("jdk").toString());
  }

  @Test
  void theJarIsStaleWhenAnyMainSourceOrPomIsNewerOrItIsMissing() throws Exception {
    Path tree = dir.resolve("checkout");
    Path source = Files.createDirectories(tree.resolve("berth-x/src/main/java/io")).resolve("A.java");
    Files.writeString(source, "class A {}");
    Path test = Files.createDirectories(tree.resolve("berth-x/src/test/java")).resolve("ATest.java");
    Path built = Files.createDirectories(tree.resolve("berth-x/target")).resolve("Stale.class");
    Path pom = Files.writeString(tree.resolve("pom.xml"), "<project/>");
    Path hidden = Files.writeString(tree.resolve("berth-x/src/main/.hidden"), "x");
    Path jarFile = Files.writeString(tree.resolve("berth.jar"), "jar");
    Path modulePom = Files.writeString(tree.resolve("berth-x/pom.xml"), "<project/>");
    Path bench = Files.createDirectories(tree.resolve("berth-bench/src/main/java")).resolve("Bench.java");
    Files.writeString(bench, "class Bench {}"); // not in the jar
    Instant old = Instant.now().minusSeconds(600);
    List<Path> mains = List.of(source, source.getParent(), tree.resolve("berth-x/src/main/java"), tree.resolve("berth-x/src/main"), pom,
        modulePom, hidden);
    for (Path p : mains) Files.setLastModifiedTime(p, FileTime.from(old));
    Files.writeString(test, "class ATest {}"); // newer than the jar, but not a main source
    Files.writeString(built, "x"); // nor is target/
    Files.setLastModifiedTime(jarFile, FileTime.from(old.plusSeconds(60)));
    String check = "berth_stale '" + tree + "' '" + jarFile + "' && echo stale || echo fresh";
    assertThat(bash(check)).containsExactly("fresh");
    Files.setLastModifiedTime(test, FileTime.from(Instant.now()));
    for (Path newer : mains) {
      Files.setLastModifiedTime(newer, FileTime.from(Instant.now()));
      assertThat(bash(check)).as(newer.toString()).containsExactly("stale");
      Files.setLastModifiedTime(newer, FileTime.from(old));
    }
    String options = "; shopt -q globstar && echo on || echo off; shopt -q extglob && echo on || echo off";
    assertThat(bash("shopt -s extglob; " + check + options)).containsExactly("fresh", "off", "on"); // the caller's shell as it was
    Files.delete(jarFile);
    assertThat(bash(check)).containsExactly("stale");
  }

  @Test
  void theQuickLinesUseACacheOfTheirOwn() throws Exception {
    Files.writeString(dir.resolve("berth-quick-jdk25.0.3.aot"), "cache");
    assertThat(bash("BERTH_JAVA_VERSION=25.0.3; berth_client_opts \"$jar\" quick; printf '%s\\n' \"${opts[@]}\""))
        .contains("-XX:AOTCache=" + dir.resolve("berth-quick-jdk25.0.3.aot"), "-Djdk.reflect.useNativeAccessorOnly=true");
    assertThat(bash("BERTH_JAVA_VERSION=25.0.3; berth_client_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .noneMatch(o -> o.startsWith("-XX:AOTCache") || o.startsWith("-Djdk.reflect"));
  }

  @Test
  void theJdkVersionComesFromTheReleaseFile() throws Exception {
    assertThat(bash("berth_jdk_version \"$JAVA_HOME\"")).containsExactly("21.0.5");
  }

  @Test
  void aClientOnJdk25UsesACacheNewerThanTheJar() throws Exception {
    Files.writeString(dir.resolve("berth-jdk25.0.3.aot"), "cache");
    assertThat(bash("BERTH_JAVA_VERSION=25.0.3; berth_client_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:aot*=off,cds*=off", "-XX:AOTCache=" + dir.resolve("berth-jdk25.0.3.aot"));
  }

  @Test
  void aCacheOlderThanTheJarIsNotUsedButMadeAgainInTheBackground() throws Exception {
    Path cache = Files.writeString(dir.resolve("berth-jdk25.0.3.aot"), "cache");
    Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(120)));
    List<String> opts = bash("BERTH_JAVA_VERSION=25.0.3; berth_client_opts \"$jar\"; wait; printf '%s\\n' \"${opts[@]}\"");
    assertThat(opts).noneMatch(o -> o.startsWith("-XX:AOTCache"));
    assertThat(dir.resolve("berth-jdk25.0.3.aot.lock")).as("the failed training run let go of its lock").doesNotExist();
    assertThat(Files.readString(cache)).as("a failed training run leaves the old file").isEqualTo("cache");
  }

  @Test
  void berthAotOffRunsWithoutAnyCache() throws Exception {
    assertThat(bash("BERTH_AOT=off; BERTH_JAVA_VERSION=25.0.3; berth_client_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .noneMatch(o -> o.contains("AOT") || o.contains("SharedArchive"));
  }

  @Test
  void jdk21GetsACdsArchiveTheJvmWritesItself() throws Exception {
    assertThat(bash("BERTH_JAVA_VERSION=21.0.5; berth_client_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .contains("-XX:SharedArchiveFile=" + dir.resolve("berth-jdk21.0.5.jsa"), "-XX:+AutoCreateSharedArchive");
  }

  @Test
  void devRecordsWhatItLoadsUntilItHasACache() throws Exception {
    assertThat(bash("BERTH_JAVA_VERSION=25.0.3; berth_dev_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .contains("-XX:AOTMode=record", "-XX:AOTConfiguration=" + dir.resolve("berth-dev-serial-jdk25.0.3.aot.config"), "-XX:-DisplayVMOutput");
    Files.writeString(dir.resolve("berth-dev-serial-jdk25.0.3.aot"), "cache");
    assertThat(bash("BERTH_JAVA_VERSION=25.0.3; berth_dev_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
        .contains("-XX:AOTCache=" + dir.resolve("berth-dev-serial-jdk25.0.3.aot")).doesNotContain("-XX:AOTMode=record");
  }

  @Test
  void devRunsOnTheSerialCollectorWithASmallHeapAndC1CacheOrNot() throws Exception {
    for (String aot : List.of("", "BERTH_AOT=off; ")) {
      assertThat(bash(aot + "BERTH_JAVA_VERSION=25.0.3; berth_dev_opts \"$jar\"; printf '%s\\n' \"${opts[@]}\""))
          .contains("-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:TieredStopAtLevel=1");
    }
  }

  @Test
  void aDevRecordThatMakesNoCacheIsDroppedToBeRecordedAgain() throws Exception {
    Files.writeString(dir.resolve("berth-dev-serial-jdk25.0.3.aot.config"), "partial");
    List<String> opts = bash("BERTH_JAVA_VERSION=25.0.3; berth_dev_opts \"$jar\"; wait; printf '%s\\n' \"${opts[@]}\"");
    assertThat(opts).noneMatch(o -> o.startsWith("-XX:AOTCache") || o.startsWith("-XX:AOTMode"));
    assertThat(dir.resolve("berth-dev-serial-jdk25.0.3.aot.config")).doesNotExist();
    assertThat(dir.resolve("berth-dev-serial-jdk25.0.3.aot.lock")).doesNotExist();
  }
}
