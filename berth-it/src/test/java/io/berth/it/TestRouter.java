package io.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** A real router ({@code berth router}, with its nginx) of a test cluster's {@code default} group, on 127.0.0.1 and a free port. */
record TestRouter(BerthProcess process, int port) implements AutoCloseable {

  /** Starts one in {@code dir} and waits until it says it is ready. */
  static TestRouter start(Cluster c, Path dir) throws Exception {
    int port = Ports.free();
    BerthProcess p = BerthProcess.start("router", dir, "router", "--manager", c.apiUrl(), "--token", c.adminToken(),
        "--group", "default", "--listen", "127.0.0.1:" + port, "--data", dir.resolve("router").toString());
    p.awaitLine("berth router ready", Duration.ofSeconds(30));
    return new TestRouter(p, port);
  }

  /** The instance guids this router (id {@code HOSTNAME-default-PORT} in {@code /v1/routers}) sends traffic to now. */
  Set<String> instances(Cluster c) {
    Set<String> out = new HashSet<>();
    for (JsonNode r : c.api().get("/v1/routers")) {
      if (r.path("id").asText().endsWith("-default-" + port)) r.path("instances").forEach(i -> out.add(i.asText()));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
