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
  void aBangLineTakesBackWhatEarlierLinesLeftOutAndTheLastMatchDecides() throws Exception {
    write(dir.resolve("c/Dockerfile"), "FROM scratch\n");
    write(dir.resolve("c/docs/a.md"), "a");
    write(dir.resolve("c/docs/README.md"), "r");
    write(dir.resolve("c/docs/drafts/README.md"), "d");
    write(dir.resolve("c/tmp/keep/x"), "x");
    write(dir.resolve("c/tmp/y"), "y");
    write(dir.resolve("c/.dockerignore"), "docs\n!docs/README.md\ntmp\n! tmp/keep\ntmp/keep/x\n");
    ContextTar.write(dir.resolve("c"), dir.resolve("c/Dockerfile"), dir.resolve("c.tar"));
    assertThat(TarReader.read(Files.readAllBytes(dir.resolve("c.tar")))).extracting(TarReader.Entry::name)
        .contains("docs/README.md", "tmp/keep/")
        .doesNotContain("docs/", "docs/a.md", "docs/drafts/README.md", "tmp/", "tmp/y", "tmp/keep/x");
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
