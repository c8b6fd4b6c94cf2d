package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.TarReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextTarTest {
  @TempDir Path dir;

  @Test
  void packsTheContextWithoutGitAndIgnoredFilesKeepingLongNames() throws Exception {
    Path ctx = dir.resolve("src");
    String deep = "a".repeat(60) + "/" + "b".repeat(60) + ".txt";
    write(ctx.resolve(deep), "deep");
    write(ctx.resolve("Dockerfile"), "FROM busybox\n");
    write(ctx.resolve(".git/HEAD"), "ref");
    write(ctx.resolve("target/app.jar"), "jar");
    write(ctx.resolve("logs/x.log"), "log");
    write(ctx.resolve(".dockerignore"), "# build output\ntarget\nlogs/*.log\n!keep.log\n");

    assertThat(ContextTar.write(ctx, ctx.resolve("Dockerfile"), dir.resolve("tmp/context.tar"))).isEqualTo("Dockerfile");

    var entries = TarReader.read(Files.readAllBytes(dir.resolve("tmp/context.tar")));
    assertThat(entries).extracting(TarReader.Entry::name)
        .contains("Dockerfile", ".dockerignore", deep, "logs/").doesNotContain(".git/HEAD", "target/app.jar", "logs/x.log");
    assertThat(entries).filteredOn(e -> e.name().equals(deep)).singleElement()
        .satisfies(e -> assertThat(new String(e.content())).isEqualTo("deep"));
  }

  @Test
  void aDockerfileOutsideTheContextTravelsUnderItsOwnName() throws Exception {
    write(dir.resolve("src/web/index.html"), "hi");
    write(dir.resolve("src/ci/web.Dockerfile"), "FROM nginx\n");
    String name = ContextTar.write(dir.resolve("src/web"), dir.resolve("src/ci/web.Dockerfile"), dir.resolve("context.tar"));
    assertThat(name).isEqualTo(ContextTar.OUTSIDE);
    assertThat(TarReader.read(Files.readAllBytes(dir.resolve("context.tar")))).extracting(TarReader.Entry::name)
        .containsExactly("index.html", ContextTar.OUTSIDE);
  }

  private static void write(Path p, String content) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}
