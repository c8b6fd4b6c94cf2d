package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lrp.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The upload action's side in the script: it asks the agent, here played by the test, and waits for its answer. */
class ScriptUploadTest extends ScriptFixture {
  @Test
  void uploadAsksTheAgentAndWaitsForItsAnswer() throws Exception {
    Files.writeString(dir.resolve("result.txt"), "the result\n");
    Action up = new Action.Upload("result", dir.resolve("result.txt").toString(), "http://cc.internal/droplet", "root", "U");
    assertThat(ScriptCompiler.main(dir.toString(), null, up, false, null).sends()).extracting(ScriptCompiler.Send::id)
        .containsExactly("f1");
    // the test plays the agent: it sees the request, then answers with an empty done mark
    Path want = dir.resolve("run/up/f1.want");
    Thread agent = Thread.ofVirtual().start(() -> answerWhen(want, null));
    Ended ok = runMain(null, up, false, null);
    agent.join(5000);
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("[U] Uploading result...\n[U] Uploaded result\n");
    assertThat(want).doesNotExist();
    Thread refusing = Thread.ofVirtual().start(() -> answerWhen(want, "POST http://cc.internal/droplet answered 500"));
    Ended refused = runMain(null, up, false, null);
    refusing.join(5000);
    assertThat(refused.status()).isNotZero();
    assertThat(refused.err()).contains("upload failed: POST http://cc.internal/droplet answered 500");
  }

  @Test
  void uploadOfAnUnreadableFileFailsWithoutAskingTheAgent() throws Exception {
    Ended e = runMain(null, new Action.Upload(null, dir.resolve("missing.txt").toString(), "http://x/y", "root", "U"), false, null);
    assertThat(e.status()).isNotZero();
    assertThat(e.err()).contains("upload failed: cannot read");
    assertThat(dir.resolve("run/up/f1.want")).doesNotExist();
  }

  @Test
  void aMonitorRefusesUploads() throws Exception {
    var monitor = ScriptCompiler.monitor(dir.toString(), new Action.Upload(null, "/etc/hostname", "http://x/y", "root", null), null);
    assertThat(monitor.sends()).isEmpty();
    Ended e = exec(monitor.text(), "monitor.sh");
    assertThat(e.status()).isNotZero();
    assertThat(e.err()).contains("upload is not run in a monitor");
  }

  /** What the agent does: once {@code want} appears, writes the error (if any) and then the done mark. */
  private static void answerWhen(Path want, String error) {
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(want) && System.nanoTime() < deadline) Thread.sleep(20);
      String id = want.getFileName().toString().replace(".want", "");
      if (error != null) Files.writeString(want.resolveSibling(id + ".error"), error);
      Files.writeString(want.resolveSibling(id + ".done"), "");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
