package io.berth.manager.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The logs of app instances' containers, read from the engines of the nodes they run on. */
public interface InstanceLogs {
  /**
   * Writes the last {@code tail} lines of each target's container log, then (with {@code follow})
   * every new line until the client goes, each as {@code [prefix] line\n}; lines of different
   * targets never interleave within a line. An instance whose container cannot be read gets one
   * line saying why, and the others go on.
   */
  void stream(List<Target> targets, boolean follow, int tail, OutputStream out) throws IOException;

  /** One instance: how its lines are prefixed ({@code v2/0}), the node it runs on and its instance guid. */
  record Target(String prefix, String node, String instanceGuid) {}
}
