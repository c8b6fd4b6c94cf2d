package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.nio.file.Path;

/**
 * The node loss of {@code scripts/bench lrp}: the agent of one node killed (SIGKILL) under a running LRP, timed until
 * the node is shown down and until all its instances run elsewhere; then the engines left start as many containers
 * directly, their own limit beside Berth's.
 *
 * @param moved the instances the lost node ran
 * @param nodeDown seconds from the kill until the node is shown down
 * @param nodeLoss seconds from the kill until all {@code n} instances run on other nodes
 * @param movedDirect seconds the engines left take to start {@code moved} containers themselves
 */
record NodeLossRun(int moved, double nodeDown, double nodeLoss, double movedDirect) {
  /** Kills {@code agent}, the agent of node {@code lost}, while the LRP {@code guid} of {@code n} instances runs. */
  static NodeLossRun measure(int api, Path mdata, String guid, int n, String lost, Process agent, LrpBench.DirectRun movedDirect)
      throws Exception {
    int moved = 0;
    for (JsonNode a : Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid))) if (a.path("cell_id").asText().equals(lost)) moved++;
    Thread.sleep(1000 + (long) (Math.random() * 2000));
    agent.destroyForcibly();
    long l0 = System.nanoTime();
    double nodeDown = -1;
    while (true) {
      if (nodeDown < 0 && Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/nodes/" + lost)).path("state").asText().equals("down")) {
        nodeDown = (System.nanoTime() - l0) / 1e9;
      }
      int elsewhere = 0;
      for (JsonNode a : Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid))) {
        if (a.path("state").asText().equals("RUNNING") && !a.path("cell_id").asText().equals(lost)) elsewhere++;
      }
      if (elsewhere == n) break;
      Thread.sleep(50);
    }
    double nodeLoss = (System.nanoTime() - l0) / 1e9;
    if (nodeDown < 0) nodeDown = nodeLoss; // shown down and moved within one poll
    // The engines left hold what Berth moved there, as they did while it moved them.
    return new NodeLossRun(moved, nodeDown, nodeLoss, movedDirect.seconds(moved));
  }

  /** Its rows of the bench's report. */
  void print() {
    System.out.printf("node lost (agent SIGKILL, TTL 10 s) -> its %d instances RUNNING elsewhere: %.2f s (TTL + %.2f s)%n",
        moved, nodeLoss, nodeLoss - 10);
    System.out.printf("  the node shown down %.2f s after the kill (its lease's last renewal came before it); from then to the last RUNNING "
        + "%.2f s; the 2 engines left, directly, the same %d containers at once (their own limit, next to Berth's): %.2f s, %.2fx%n", nodeDown,
        nodeLoss - nodeDown, moved, movedDirect, (nodeLoss - nodeDown) / movedDirect);
  }
}
