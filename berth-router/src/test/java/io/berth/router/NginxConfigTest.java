package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.wire.RouteTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxConfigTest {
  private final NginxConfig config = new NginxConfig(Path.of("/var/lib/router"), "127.0.0.1", 8081, 9001, "1");

  @Test
  void rendersAMasterWithItsFilesUnderTheDataDir() {
    String text = config.render(table(1), 0).text();
    assertThat(text).contains("daemon off;\n", "worker_processes 1;\n", "pid \"/var/lib/router/nginx.pid\";\n",
        "error_log \"/var/lib/router/error.log\" warn;\n", "events {", "proxy_temp_path \"/var/lib/router/temp/proxy\";\n",
        "access_log off;\n");
  }

  @Test
  void withAnAccessLogPortEveryDomainLogsToItAndTheFixedServersDoNot() {
    NginxConfig logging = new NginxConfig(Path.of("/var/lib/router"), "127.0.0.1", 8081, 9001, "1", 9514);
    NginxConfig.Rendered r = logging.render(table(1, domain("hello.test", "hello", upstream("10.0.0.5", 61001, "g1"))), 0);
    assertThat(r.text()).contains("  log_format berth_traffic escape=none '$server_name $status $request_time';\n",
            "  access_log syslog:server=127.0.0.1:9514,tag=berth,nohostname berth_traffic;\n",
            "default_server;\n    server_name _;\n    access_log off;\n", "listen 127.0.0.1:9001;\n    access_log off;\n")
        .doesNotContain("  access_log off;\n  log_format");
    assertThat(r.names()).containsExactly("hello.test");
  }

  @Test
  void rendersOneUpstreamAndOneServerPerDomain() {
    NginxConfig.Rendered r = config.render(table(7,
        domain("hello.test", "hello", upstream("10.0.0.5", 61001, "g1"), upstream("10.0.0.6", 61002, "g2")),
        domain("Other.Test", "other", upstream("10.0.0.7", 61003, "g3"))), 3);
    assertThat(r.text()).contains(
        "  upstream berth_1 {\n    server 10.0.0.5:61001 max_fails=1 fail_timeout=2s; # app-v1/0 g1\n"
            + "    server 10.0.0.6:61002 max_fails=1 fail_timeout=2s; # app-v1/0 g2\n",
        "  server {\n    listen 127.0.0.1:8081;\n    server_name hello.test;\n    location / { proxy_pass http://berth_1; }\n  }\n",
        "server_name other.test;\n    location / { proxy_pass http://berth_2; }",
        "proxy_set_header Host $host;\n", "proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n",
        "proxy_connect_timeout 1s;\n");
    assertThat(r.domains()).isEqualTo(2);
    assertThat(r.upstreams()).isEqualTo(3);
    assertThat(r.instances()).containsExactly("g1", "g2", "g3");
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void aDomainWithNoInstancesAnswers503NamingItsApp() {
    String text = config.render(table(2, domain("empty.test", "shop", new RouteTable.Upstream[0])), 0).text();
    assertThat(text).contains("server_name empty.test;\n    location / { return 503 \"no healthy instance of shop\\n\"; }")
        .doesNotContain("upstream berth_");
  }

  @Test
  void unknownHostsGetTheDefaultServerAndTheStatusServerAnswersTheMarker() {
    NginxConfig.Rendered r = config.render(table(9), 4);
    assertThat(r.marker()).isEqualTo("9-4");
    assertThat(r.text()).contains("listen 127.0.0.1:8081 default_server;\n    server_name _;\n"
            + "    location / { return 404 \"no app serves this host\\n\"; }",
        "listen 127.0.0.1:9001;\n    location = /__berth/revision { return 200 \"9-4\"; }");
  }

  @Test
  void leavesOutADomainThatIsNotAHostNameSoItCannotAddDirectives() {
    NginxConfig.Rendered r = config.render(table(3,
        domain("evil.test; include /etc/passwd", "evil", upstream("10.0.0.1", 80, "g1")),
        domain("x.test;\n  location /", "evil", upstream("10.0.0.1", 80, "g2")),
        domain("good.test", "good", upstream("10.0.0.2", 80, "g3"))), 0);
    assertThat(r.text()).doesNotContain("include", "passwd", "evil", "location /\n");
    assertThat(r.text()).contains("server_name good.test;");
    assertThat(r.errors()).containsExactly("domain 'evil.test; include /etc/passwd' is not a host name; left out",
        "domain 'x.test;?  location /' is not a host name; left out");
    assertThat(r.instances()).containsExactly("g3");
    assertThat(r.domains()).isEqualTo(1);
  }

  @Test
  void leavesOutBadUpstreamsAndSecondCopiesOfADomain() {
    NginxConfig.Rendered r = config.render(table(4,
        domain("a.test", "a", upstream("10.0.0.1 down", 80, "g1"), upstream("10.0.0.2", 0, "g2"), upstream("::1", 8080, "g3")),
        domain("A.test", "a", upstream("10.0.0.4", 80, "g4"))), 0);
    assertThat(r.text()).contains("server [::1]:8080 max_fails=1").doesNotContain("down", "10.0.0.4");
    assertThat(r.errors()).containsExactly("domain a.test: upstream '10.0.0.1 down:80' is not an address; left out",
        "domain a.test: upstream '10.0.0.2:0' is not an address; left out", "domain a.test is listed twice; the first kept");
    assertThat(r.instances()).containsExactly("g3");
  }

  @Test
  void namesFromTheTableAreNeutralisedInCommentsAndTexts() {
    String text = config.render(table(5, domain("n.test", "x\"; return 200 \"$host", new RouteTable.Upstream[0]),
        domain("m.test", "m", new RouteTable.Upstream("10.0.0.1", 80, "p\nlisten 1", 0, "i\n}"))), 0).text();
    assertThat(text).contains("no healthy instance of x___return_200___host\\n", "# p_listen_1/0 i__\n").doesNotContain("$host\"");
  }

  @Test
  void refusesADataDirOrListenAddressThatCannotStandInTheConfig() {
    assertThatThrownBy(() -> new NginxConfig(Path.of("/tmp/a;b"), "127.0.0.1", 80, 81, "1")).hasMessageContaining("data dir");
    assertThatThrownBy(() -> new NginxConfig(Path.of("/tmp/a"), "1.2.3.4; x", 80, 81, "1")).hasMessageContaining("listen address");
    assertThatThrownBy(() -> new NginxConfig(Path.of("/tmp/a"), "::", 80, 81, "many")).hasMessageContaining("worker processes");
    assertThat(new NginxConfig(Path.of("/tmp/a"), "::", 80, 81, "auto").render(table(1), 0).text()).contains("listen [::]:80 default_server;");
  }
}
