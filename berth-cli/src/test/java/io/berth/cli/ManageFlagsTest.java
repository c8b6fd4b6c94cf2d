package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth manage --leader-ttl}, {@code --name} and the Receptor's password file: a bad value is one line and exit 1, before anything starts. */
class ManageFlagsTest {
  @TempDir Path dir;

  record Run(int exit, String err) {}

  Run manage(String... flags) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = new String[flags.length + 5];
    args[0] = "manage";
    args[1] = "--store";
    args[2] = "sqlite://" + dir.resolve("berth.db");
    args[3] = "--data";
    args[4] = dir.toString();
    System.arraycopy(flags, 0, args, 5, flags.length);
    return new Run(Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args), err.toString());
  }

  @Test
  void aLeaderTtlOutsideTwoToSixtySecondsIsRefused() {
    Run low = manage("--leader-ttl", "1s");
    assertThat(low.exit()).isEqualTo(1);
    assertThat(low.err()).isEqualTo("berth manage: --leader-ttl must be from 2s to 60s, got 1000 ms\n");
    Run high = manage("--leader-ttl", "61s");
    assertThat(high.exit()).isEqualTo(1);
    assertThat(high.err()).isEqualTo("berth manage: --leader-ttl must be from 2s to 60s, got 61000 ms\n");
    assertThat(Files.exists(dir.resolve("berth.db"))).as("nothing started").isFalse();
  }

  @Test
  void aNameThatIsNoDnsLabelIsRefused() {
    Run r = manage("--name", "-bad name");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth manage: invalid manager name '-bad name' (--name): use 1-63 letters, digits, '.', '_' or '-', "
        + "starting with a letter or digit\n");
  }

  @Test
  void aMissingReceptorPasswordFileIsRefusedBeforeAnythingStarts() {
    Run r = manage("--receptor-user", "diego", "--receptor-password-file", dir.resolve("nope").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth manage: cannot read --receptor-password-file " + dir.resolve("nope") + ": no such file\n");
    Run half = manage("--receptor-user", "diego");
    assertThat(half.err()).isEqualTo("berth manage: --receptor-user needs --receptor-password-file: the file holding its password\n");
    assertThat(Files.exists(dir.resolve("berth.db"))).as("nothing started").isFalse();
  }

  @Test
  void smtpFlagsAreCheckedBeforeAnythingStarts() {
    assertThat(manage("--smtp", "mail.example.com:25").err()).isEqualTo("berth manage: --smtp needs --smtp-from: the address notifications are sent from\n");
    assertThat(manage("--smtp", "mail.example.com", "--smtp-from", "berth@example.com").err())
        .isEqualTo("berth manage: --smtp must be HOST:PORT, e.g. 127.0.0.1:8080, not 'mail.example.com'\n");
    assertThat(manage("--smtp", "mail.example.com:25", "--smtp-from", "nobody").err())
        .isEqualTo("berth manage: --smtp-from: not an e-mail address (expected name@example.com): 'nobody'\n");
    assertThat(manage("--alert-repeat", "10s").err()).isEqualTo("berth manage: --alert-repeat must be from 1m to 7d, not 10s\n");
    assertThat(Files.exists(dir.resolve("berth.db"))).as("nothing started").isFalse();
  }
}
