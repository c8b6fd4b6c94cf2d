package io.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** Polls the nodes through haproxy and keeps every state that was not ready. */
final class NodeWatch implements AutoCloseable {
  private final Set<String> down = new HashSet<>();
  private volatile boolean stop;
  private final Thread thread;

  NodeWatch(ManagerApi api) {
    thread = Thread.ofVirtual().start(() -> {
      while (!stop) {
        JsonNode all = api.get("/v1/nodes");
        if (all != null) {
          for (JsonNode n : all) {
            if (!n.path("state").asText().equals("ready")) synchronized (down) {
              down.add(n.path("name").asText() + " " + n.path("state").asText());
            }
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  Set<String> downSeen() {
    synchronized (down) {
      return Set.copyOf(down);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }
}
