package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.LocalEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose 1.29 against the manager, with a project of the shape DaoCloud's controller had:
 * services that call each other by name (one of them through an alias on a second network), one
 * holding a volume, one publishing a port. A local network lives on one node, as in classic Swarm,
 * so the project's services land where they reach each other; they resolve names through the
 * engine's embedded DNS ({@code 127.0.0.11}) with busybox's own resolver ({@code nslookup}, no NSS:
 * a static glibc {@code getaddrinfo} crashes without it) and connect by the address they got.
 */
@OnDockerEndpoint.DockerEndpointCluster
class DockerComposeIT extends OnDockerEndpoint {
  private static final String PROJECT = "ctl";

  /**
   * Resolves NAME through the embedded DNS and sends {@code GET /} to ADDRESS:PORT with busybox's nc,
   * printing the body. (busybox's wget looks a port up through NSS, and crashes too.)
   */
  private static final String FETCH = "fetch() { ip=$(nslookup \"$1\" 2>/dev/null | awk '/^Address: [0-9.]+$/ {print $2}' | tail -n 1);"
      + " [ -n \"$ip\" ] || { echo \"$1: not resolved\"; return 1; };"
      + " printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 \"$ip\" \"$2\" | sed '1,/^\\r$/d'; }; ";

  @Test
  void aComposeProjectsServicesReachEachOtherByNameAndScale() throws Exception {
    Path project = Files.createDirectories(dir.resolve(PROJECT));
    Files.writeString(project.resolve("docker-compose.yml"), String.join("\n",
        "version: \"2.4\"",
        "services:",
        "  db:",
        "    image: berth/busybox:1",
        "    command: sh -c 'echo db-data > /data/index.html && exec httpd -f -p 5432 -h /data'",
        "    volumes: [\"data:/data\"]",
        "    networks: {back: {aliases: [database]}}",
        "  api:",
        "    image: berth/busybox:1",
        "    command: sh -c 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8000 -h /www'",
        "    networks: [back, default]",
        "  web:",
        "    image: berth/busybox:1",
        "    command: sh -c 'mkdir -p /www && echo web-ok > /www/index.html && exec httpd -f -p 80 -h /www'",
        "    ports: [\"18095:80\"]",
        "volumes: {data: {}}",
        "networks:",
        "  default: {}",
        "  back: {}",
        ""));
    try {
      DockerCli.Result up = compose(project, "up", "-d");
      assertThat(up.exit()).as(up.err()).isZero();

      String node = nodeOf(PROJECT + "_web_1");
      assertThat(List.of(nodeOf(PROJECT + "_db_1"), nodeOf(PROJECT + "_api_1")))
          .as("a project's networks and the services on them share one node").containsOnly(node);
      List<String> networks = docker(null, "network", "ls", "--format", "{{.Name}}").out().lines().toList();
      assertThat(networks).as("a local network is shown as NODE/NAME").contains(node + "/" + PROJECT + "_default", node + "/" + PROJECT + "_back");
      DockerCli.Result inspect = docker(null, "network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", PROJECT + "_back");
      assertThat(inspect.exit()).as(inspect.err()).isZero();
      assertThat(inspect.out()).as("network inspect lists the containers attached").contains(PROJECT + "_db_1", PROJECT + "_api_1");

      // web → api by service name on the default network; api → db by service name and by alias on "back".
      assertThat(exec(PROJECT + "_web_1", FETCH + "fetch api 8000")).isEqualTo(containerId(PROJECT + "_api_1").substring(0, 12));
      assertThat(exec(PROJECT + "_api_1", FETCH + "fetch db 5432 && fetch database 5432")).isEqualTo("db-data\ndb-data");
      assertThat(exec(PROJECT + "_web_1", FETCH + "fetch db 5432 || true")).as("web is not on the back network").contains("db: not resolved");

      assertThat(get("http://" + engine(node).address() + ":18095/")).as("the published port, on the node's address").isEqualTo("web-ok");

      DockerCli.Result scale = compose(project, "up", "-d", "--scale", "api=2");
      assertThat(scale.exit()).as(scale.err()).isZero();
      assertThat(nodeOf(PROJECT + "_api_2")).as("a scaled instance joins its networks' node").isEqualTo(node);
      String second = containerId(PROJECT + "_api_2").substring(0, 12);
      assertThat(exec(PROJECT + "_api_2", FETCH + "fetch database 5432")).isEqualTo("db-data");
      boolean seen = false;
      for (int i = 0; i < 20 && !seen; i++) seen = exec(PROJECT + "_web_1", FETCH + "fetch api 8000").equals(second);
      assertThat(seen).as("the service name now also resolves to the new instance").isTrue();

      DockerCli.Result down = compose(project, "down", "-v");
      assertThat(down.exit()).as(down.err()).isZero();
      assertThat(docker(null, "network", "ls", "--format", "{{.Name}}").out()).as("down removes the networks from their node")
          .doesNotContain(PROJECT + "_");
      DockerCli.Result onNode = DockerCli.run("unix://" + engine(node).socket(), List.of(), null, "network", "ls", "--format", "{{.Name}}");
      assertThat(onNode.out()).doesNotContain(PROJECT + "_");
    } finally {
      compose(project, "down", "-v", "-t", "1");
    }
  }

  @Test
  void overlayNetworksAreRefusedWithTheReason() throws Exception {
    DockerCli.Result overlay = docker(null, "network", "create", "-d", "overlay", "ov1");
    assertThat(overlay.exit()).isNotZero();
    assertThat(overlay.err()).contains("overlay").doesNotContain("Exception");
    assertThat(docker(null, "network", "ls", "--format", "{{.Name}}").out()).doesNotContain("ov1");
  }

  private static LocalEngine engine(String node) {
    return cluster.engines().stream().filter(e -> e.name().equals(node)).findFirst().orElseThrow();
  }

  private static String nodeOf(String container) throws Exception {
    DockerCli.Result r = docker(null, "inspect", "--format", "{{.Node.Name}}", container);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().strip();
  }

  private static String containerId(String container) throws Exception {
    return docker(null, "inspect", "--format", "{{.Id}}", container).out().strip();
  }

  private static String exec(String container, String script) throws Exception {
    DockerCli.Result r = docker(null, "exec", container, "sh", "-c", script);
    return (r.out() + r.err()).strip();
  }

  private static String get(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body().strip();
  }

  private static DockerCli.Result compose(Path project, String... args) throws Exception {
    return DockerCli.compose(dockerHost, PROJECT, project, args);
  }
}
