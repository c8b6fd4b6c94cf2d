package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --registry-storage} places the registry's images; without a registry to place them for, it is refused in one line. */
class RegistryStorageFlagTest {
  @TempDir Path dir;

  @Test
  void registryStorageWithoutARegistryIsRefusedInOneLine() {
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "manage", "--store",
        "sqlite://" + dir.resolve("x.db"), "--data", dir.toString(), "--registry-storage", dir.resolve("images").toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("berth manage: --registry-storage needs --registry-addr: the storage is the registry's\n");
  }
}
