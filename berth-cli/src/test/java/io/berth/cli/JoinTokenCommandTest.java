package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JoinTokenCommandTest {
  static final String TOKEN = "BERTH-1-" + "ab".repeat(32) + "-" + "x".repeat(26);
  final FakeApi api = new FakeApi();

  JoinTokenCommandTest() throws Exception {
    api.on("GET /v1/join-token", "{\"token\": \"" + TOKEN + "\"}");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void printsTheTokenAlone() {
    assertThat(api.ok("join-token").out()).isEqualTo(TOKEN + "\n");
  }

  @Test
  void commandPrintsTheJoinLineWithEveryManagerTheLeaderFirst() {
    api.on("GET /v1/managers", """
        [{"name": "m1", "api": "http://10.0.0.1:8080", "cluster": "10.0.0.1:2377", "leader": false},
         {"name": "m2", "api": "http://10.0.0.2:8080", "cluster": "10.0.0.2:2377", "leader": true},
         {"name": "m3", "api": "http://10.0.0.3:8080", "cluster": "10.0.0.3:2377", "leader": false}]""");

    assertThat(api.ok("join-token", "--command").out()).isEqualTo(
        "berth join --manager 10.0.0.2:2377,10.0.0.1:2377,10.0.0.3:2377 --token " + TOKEN + " --advertise auto\n");
  }

  @Test
  void aManagerThatListsNoneIsReachedAtTheApisHost() {
    api.on("GET /v1/managers", "[]");

    assertThat(api.ok("join-token", "--command").out())
        .isEqualTo("berth join --manager 127.0.0.1:2377 --token " + TOKEN + " --advertise auto\n");
  }

  @Test
  void theLineParsesAsAJoinCommand() {
    api.on("GET /v1/managers", "[{\"name\": \"m1\", \"cluster\": \"10.0.0.1:2377\", \"leader\": true}]");
    String[] line = api.ok("join-token", "--command").out().strip().split(" ");

    JoinCommand join = new JoinCommand();
    new CommandLine(join).parseArgs(Arrays.copyOfRange(line, 2, line.length));
    assertThat(join.manager).isEqualTo("10.0.0.1:2377");
    assertThat(join.token).isEqualTo(TOKEN);
    assertThat(join.advertise).isEqualTo("auto");
  }

  @Test
  void nodeAddPrintsTheSshLineThatWritesTheAgentsConfigAndStartsItsUnit() {
    api.on("GET /v1/managers", "[{\"name\": \"m1\", \"cluster\": \"10.0.0.1:2377\", \"leader\": true}]");
    assertThat(api.ok("node", "add", "10.0.0.7").out()).isEqualTo("ssh root@10.0.0.7 \"echo 'BERTH_AGENT_ARGS=\\\"--manager 10.0.0.1:2377 --token "
        + TOKEN + " --advertise auto\\\"' | tee /etc/berth/agent.env >/dev/null && systemctl enable --now berth-agent\"\n");
    assertThat(api.ok("node", "add", "n8.example", "--user", "ops", "--ssh-port", "2222", "--label", "berth.build=true").out())
        .startsWith("ssh -p 2222 ops@n8.example \"echo")
        .contains(" --advertise auto --label berth.build=true\\\"' | sudo tee /etc/berth/agent.env >/dev/null && sudo systemctl enable");
    assertThat(api.usageError("node", "add", "h;rm -rf /").err()).contains("HOST 'h;rm -rf /' is not a host name or address");
    assertThat(api.usageError("node", "add", "h", "--label", "a=$(x)").err()).contains("--label 'a=$(x)' is not KEY=VALUE");
  }
}
