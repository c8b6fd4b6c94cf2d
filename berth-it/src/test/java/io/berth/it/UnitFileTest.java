package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileTest {
  static final String UNIT = """
      [Unit]
      Description=x
      Environment=NOT_THIS=1
      [Service]
      # a comment
      Environment=BERTH_DATA=/var/lib/berth
      EnvironmentFile=/etc/berth/manager.env
      EnvironmentFile=-/etc/default/berth
      ExecStart=/usr/bin/berth manage $BERTH_MANAGER_ARGS ${ONE_WORD}
      Restart=on-failure
      [Install]
      WantedBy=multi-user.target
      """;

  @Test
  void readsOnlyTheServiceSectionsCommandLines() {
    UnitFile u = UnitFile.parse(UNIT);
    assertThat(u.environment()).containsExactly("BERTH_DATA=/var/lib/berth");
    assertThat(u.environmentFiles()).containsExactly("/etc/berth/manager.env", "-/etc/default/berth");
    assertThat(u.execStart()).isEqualTo("/usr/bin/berth manage $BERTH_MANAGER_ARGS ${ONE_WORD}");
  }

  @Test
  void theShellLineSplitsDollarVarsKeepsBracedOnesWholeAndLetsTheFileOverrideTheUnit() throws Exception {
    Path dir = Files.createTempDirectory("unit-file-test");
    Path env = dir.resolve("x.env");
    Files.writeString(env, "# c\nBERTH_DATA=/data/other\nARGS=\"a  b*\"\nONE=\"c d\"\n");
    UnitFile u = new UnitFile(List.of("BERTH_DATA=/var/lib/berth"), List.of(env.toString(), "-" + dir.resolve("absent")),
        "/usr/bin/printf [%s] $ARGS ${ONE} $BERTH_DATA");
    Files.createFile(dir.resolve("b-glob-bait"));
    Process p = new ProcessBuilder("sh", "-c", u.shellLine()).directory(dir.toFile()).start();
    assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo("[a][b*][c d][/data/other]");
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void aMissingRequiredFileStopsTheLineBeforeItsCommandRuns() throws Exception {
    UnitFile u = new UnitFile(List.of(), List.of("/nonexistent/berth.env"), "/bin/echo started");
    Process p = new ProcessBuilder("sh", "-c", u.shellLine()).start();
    assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
    assertThat(new String(p.getErrorStream().readAllBytes())).contains("/nonexistent/berth.env");
    assertThat(p.waitFor()).isEqualTo(2);
  }

  @Test
  void theShippedManagerUnitsLineIsTheOneTheOperatorsGuideGives() throws Exception {
    UnitFile u = UnitFile.parse(Files.readString(Path.of("../packaging/systemd/berth-manager.service")));
    assertThat(Files.readString(Path.of("../docs/operate.md"))).contains("sh -c '" + u.shellLine() + "'");
    UnitFile.parse(Files.readString(Path.of("../packaging/systemd/berth-agent.service"))); // reads, or says what it cannot
  }

  @Test
  void aTemplateIsReadAsOneOfItsInstances() {
    String template = "[Service]\nEnvironmentFile=/etc/berth/router-%i.env\nExecStart=/usr/bin/berth router $ARGS\nSyslogIdentifier=r-%i\n";
    assertThat(UnitFile.parse(template, "blue").environmentFiles()).containsExactly("/etc/berth/router-blue.env");
    assertThat(UnitFile.parse("[Service]\nExecStart=/x\nSyslogIdentifier=r-%i\n").execStart())
        .as("a specifier where nothing runs from it is no matter").isEqualTo("/x");
  }

  @Test
  void whatItDoesNotModelIsRefused() {
    assertThatThrownBy(() -> UnitFile.parse("[Service]\nExecStart=-/usr/bin/berth x\n")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> UnitFile.parse("[Service]\nEnvironmentFile=/etc/berth/router-%i.env\nExecStart=/x\n"))
        .hasMessageContaining("specifier");
    assertThatThrownBy(() -> UnitFile.parse("[Service]\nType=simple\n")).hasMessageContaining("no ExecStart");
  }
}
