package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
  @TempDir Path dir;

  @Test
  void cachesLiveUnderTheBuildsDirectoryAndMountWhereTheirToolsLook() throws Exception {
    Workspace ws = new Workspace(dir, "app");
    List<Workspace.Mount> mounts = ws.mounts(List.of("m2", "npm", "node_modules", "m2"), false);
    assertThat(mounts).extracting(Workspace.Mount::bind).containsExactly(
        dir.resolve("app/cache/m2") + ":/root/.m2",
        dir.resolve("app/cache/npm") + ":/root/.npm",
        dir.resolve("app/cache/dirs/node_modules") + ":/workspace/node_modules");
    assertThat(dir.resolve("app/cache/dirs/node_modules")).isDirectory();
  }

  @Test
  void noCacheMountsEmptyDirectoriesTheRunThrowsAway() throws Exception {
    Workspace ws = new Workspace(dir, "app");
    assertThat(ws.mounts(List.of("m2"), true)).extracting(Workspace.Mount::host).containsExactly(dir.resolve("app/tmp/cache/m2"));
    ws.cleanTmp();
    assertThat(dir.resolve("app/tmp")).doesNotExist();
  }

  @Test
  void pathsLeavingTheBuildAreRefused() throws Exception {
    Workspace ws = new Workspace(dir, "app");
    assertThatThrownBy(() -> ws.mounts(List.of("../other"), false)).isInstanceOf(StepFailed.class)
        .hasMessageContaining("cache '../other' is outside the build's directory");
    assertThatThrownBy(() -> ws.inSource("dockerfile", "../../Dockerfile")).hasMessageContaining("outside");
    assertThatThrownBy(() -> new Workspace(dir, "../etc")).hasMessageContaining("cannot name a directory");
  }

  @Test
  void aSymbolicLinkOutOfTheBuildIsRefused() throws Exception {
    Workspace ws = new Workspace(dir, "app");
    Files.createDirectories(ws.src());
    Files.createSymbolicLink(ws.src().resolve("ci"), dir.resolve("elsewhere"));
    Files.createDirectories(dir.resolve("elsewhere"));
    assertThatThrownBy(() -> ws.inSource("dockerfile", "ci/Dockerfile")).hasMessageContaining("through a symbolic link");
    Files.createDirectories(dir.resolve("app/cache/dirs"));
    Files.createSymbolicLink(dir.resolve("app/cache/dirs/deps"), dir.resolve("elsewhere"));
    assertThatThrownBy(() -> ws.mounts(List.of("deps"), false)).hasMessageContaining("through a symbolic link");
  }
}
