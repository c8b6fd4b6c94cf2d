package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --receptor-user}, {@code --receptor-password-file} and {@code --cors}, read at start. */
class ReceptorFlagsTest {
  @TempDir Path dir;

  @Test
  void thePasswordIsTheFilesFirstLineAndNeverPrinted() throws Exception {
    Path f = Files.writeString(dir.resolve("pw"), "s3cret pass\nignored\n");
    ManagerConfig.Receptor r = ManagerConfig.Receptor.of("diego", f, true);
    assertThat(r.user()).isEqualTo("diego");
    assertThat(r.password()).isEqualTo("s3cret pass");
    assertThat(r.cors()).isTrue();
    assertThat(r.toString()).doesNotContain("s3cret");
    assertThat(ManagerConfig.Receptor.of(null, null, false)).isEqualTo(ManagerConfig.Receptor.NONE);
  }

  @Test
  void aMissingEmptyOrHalfGivenPasswordIsRefusedWithASentence() throws Exception {
    assertThatThrownBy(() -> ManagerConfig.Receptor.of("diego", dir.resolve("nope"), false))
        .hasMessage("cannot read --receptor-password-file " + dir.resolve("nope") + ": no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> ManagerConfig.Receptor.of("diego", empty, false))
        .hasMessageContaining("is empty: put the password on its first line");
    assertThatThrownBy(() -> ManagerConfig.Receptor.of("diego", null, false))
        .hasMessage("--receptor-user needs --receptor-password-file: the file holding its password");
    assertThatThrownBy(() -> ManagerConfig.Receptor.of(null, empty, false))
        .hasMessage("--receptor-password-file needs --receptor-user: whose password it is");
    assertThatThrownBy(() -> ManagerConfig.Receptor.of("diego", dir, false)).hasMessageStartingWith("cannot read --receptor-password-file");
  }
}
