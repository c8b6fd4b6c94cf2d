package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code berth alert notifications}: a table of the manager's notification log (run here on its own; berth alert lists it). */
class AlertNotificationsCommandTest {
  final FakeApi api = new FakeApi();

  AlertNotificationsCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine line = new CommandLine(new AlertNotificationsCommand()).setOut(new PrintWriter(out, true));
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    System.arraycopy(new String[] {"--api", api.url(), "--token", "secret"}, 0, full, args.length, 4);
    assertThat(line.execute(full)).isZero();
    return out.toString();
  }

  @Test
  void listsEachReceiversOutcome() {
    String at = Instant.now().minus(Duration.ofMinutes(3)).toString();
    api.on("GET /v1/alerts/notifications?app=web&limit=5", "[{\"at\": \"" + at + "\", \"app\": \"web\", \"notice_id\": \"web/high-cpu/1796551200000/firing\","
        + " \"status\": \"firing\", \"receiver\": \"email olivia@example.com\", \"outcome\": \"retrying\", \"attempts\": 2, \"repeat\": false,"
        + " \"error\": \"SMTP 10.0.0.5:25: MAIL FROM refused: 451 later\"}]");
    assertThat(run("web", "--limit", "5")).isEqualTo("""
        AT       APP   ALERT      STATUS   RECEIVER                   OUTCOME    ATTEMPTS   ERROR
        3m ago   web   high-cpu   firing   email olivia@example.com   retrying   2          SMTP 10.0.0.5:25: MAIL FROM refused: 451 later
        """);
  }
}
