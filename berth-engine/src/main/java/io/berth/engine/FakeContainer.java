package io.berth.engine;

import java.util.List;
import java.util.Map;

/** One container of a {@link FakeEngine}; immutable, replaced on every change of state. */
record FakeContainer(String id, String name, ContainerSpec spec, long sequence, long created,
                     String state, int exitCode, String startedAt, String finishedAt,
                     Map<String, Integer> publishedPorts) {

  static FakeContainer created(String id, String name, ContainerSpec spec, long sequence, long created) {
    return new FakeContainer(id, name, spec, sequence, created, "created", 0,
        FakeEngine.NEVER, FakeEngine.NEVER, Map.of());
  }

  boolean running() {
    return state.equals("running");
  }

  FakeContainer started(String now, Map<String, Integer> published) {
    return new FakeContainer(id, name, spec, sequence, created, "running", 0, now, finishedAt,
        Map.copyOf(published));
  }

  /** Docker forgets the published ports of a container that is not running. */
  FakeContainer stopped(int code, String now) {
    return new FakeContainer(id, name, spec, sequence, created, "exited", code, startedAt, now, Map.of());
  }

  ContainerSummary summary() {
    String status = switch (state) {
      case "running" -> "Up";
      case "exited" -> "Exited (" + exitCode + ")";
      default -> "Created";
    };
    return new ContainerSummary(id, List.of("/" + name), spec.image(), state, status, spec.labels(), created);
  }

  ContainerDetails details() {
    return new ContainerDetails(id, "/" + name, spec.image(), running(), exitCode, startedAt,
        finishedAt, spec.labels(), publishedPorts,
        spec.cpuShares(), spec.privileged());
  }
}
