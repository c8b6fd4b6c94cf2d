package io.berth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCheckoutTest {
  @TempDir Path dir;
  private GitFixture repo;
  private final GitCheckout git = new GitCheckout();
  private final List<String> out = new ArrayList<>();

  @BeforeEach
  void repository() throws Exception {
    repo = new GitFixture(dir);
  }

  @Test
  void checksOutABranchATagAndACommitIntoOneReusedWorkspace() throws Exception {
    String first = repo.commit("main", Map.of("a.txt", "one"));
    repo.tag("v1");
    String second = repo.commit("main", Map.of("a.txt", "two"));
    Path src = dir.resolve("builds/app/src");

    assertThat(git.checkout(src, repo.url(), "main", out::add, new RunControl())).isEqualTo(second);
    assertThat(Files.readString(src.resolve("a.txt"))).isEqualTo("two");
    Files.writeString(src.resolve("left-over.txt"), "from the last run");

    assertThat(git.checkout(src, repo.url(), "v1", out::add, new RunControl())).isEqualTo(first);
    assertThat(Files.readString(src.resolve("a.txt"))).isEqualTo("one");
    assertThat(src.resolve("left-over.txt")).doesNotExist();

    assertThat(git.checkout(src, repo.url(), second, out::add, new RunControl())).isEqualTo(second);
    assertThat(out).contains("$ git fetch --depth 1 " + repo.url() + " main");
  }

  @Test
  void anUnknownRefFailsWithGitsWords() throws Exception {
    repo.commit("main", Map.of("a.txt", "one"));
    assertThatThrownBy(() -> git.checkout(dir.resolve("src"), repo.url(), "nope", out::add, new RunControl()))
        .isInstanceOf(StepFailed.class).hasMessageContaining("couldn't find remote ref nope");
  }

  @Test
  void anUnreachableRepositoryFailsWithGitsWords() {
    assertThatThrownBy(() -> git.checkout(dir.resolve("src"), dir.resolve("missing.git").toUri().toString(), "main", out::add,
        new RunControl())).isInstanceOf(StepFailed.class).hasMessageStartingWith("fatal:").hasMessageContaining("missing.git");
  }

  @Test
  void aStoppedRunRunsNoGit() {
    RunControl control = new RunControl();
    control.cancel();
    assertThatThrownBy(() -> git.checkout(dir.resolve("src"), repo.url(), "main", out::add, control))
        .isInstanceOf(StepFailed.class).hasMessage("cancelled");
    assertThat(dir.resolve("src/.git")).doesNotExist();
  }

  @Test
  void credentialsInTheUrlStayOutOfTheLog() {
    assertThat(GitCheckout.redacted("https://bot:s3cret@git.example/team/app.git")).isEqualTo("https://***@git.example/team/app.git");
    assertThat(GitCheckout.redacted("git@git.example:team/app.git")).isEqualTo("git@git.example:team/app.git");
  }
}
