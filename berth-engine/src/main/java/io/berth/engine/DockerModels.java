package io.berth.engine;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Version;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Translates between docker-java's models and Berth's engine records; no I/O. */
final class DockerModels {
  private DockerModels() {}

  /** Fills a create command from a spec; zero limits and empty lists mean "engine default". */
  static CreateContainerCmd fill(CreateContainerCmd cmd, ContainerSpec spec) {
    if (spec.name() != null && !spec.name().isEmpty()) {
      cmd.withName(spec.name());
    }
    if (!spec.cmd().isEmpty()) {
      cmd.withCmd(spec.cmd());
    }
    if (!spec.entrypoint().isEmpty()) {
      cmd.withEntrypoint(spec.entrypoint());
    }
    HostConfig host = HostConfig.newHostConfig();
    if (spec.cpuShares() > 0) {
      host.withCpuShares(spec.cpuShares());
    }
    if (spec.privileged()) {
      host.withPrivileged(true);
    }
    if (spec.memoryBytes() > 0) {
      host.withMemory(spec.memoryBytes());
    }
    if (!spec.binds().isEmpty()) {
      host.withBinds(spec.binds().stream().map(Bind::parse).toList());
    }
    if (spec.nanoCpus() > 0) {
      host.withNanoCPUs(spec.nanoCpus());
    }
    if (!spec.ports().isEmpty()) {
      Ports bindings = new Ports();
      String ip = spec.hostIp().isEmpty() ? null : spec.hostIp();
      spec.ports().forEach((containerPort, hostPort) -> bindings.bind(ExposedPort.parse(containerPort),
          new Ports.Binding(ip, hostPort == null || hostPort == 0 ? null : hostPort.toString())));
      host.withPortBindings(bindings);
      cmd.withExposedPorts(spec.ports().keySet().stream().map(ExposedPort::parse).toList());
    }
    return cmd.withEnv(spec.env()).withLabels(spec.labels()).withHostConfig(host);
  }

  static ContainerDetails details(InspectContainerResponse r) {
    var state = r.getState();
    var config = r.getConfig();
    Map<String, Integer> published = new HashMap<>();
    if (r.getNetworkSettings() != null && r.getNetworkSettings().getPorts() != null) {
      r.getNetworkSettings().getPorts().getBindings().forEach((port, bindings) -> {
        if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
          published.put(port.toString(), Integer.parseInt(bindings[0].getHostPortSpec()));
        }
      });
    }
    return new ContainerDetails(r.getId(), r.getName(), config == null ? r.getImageId() : config.getImage(),
        Boolean.TRUE.equals(state.getRunning()),
        state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
        state.getStartedAt(), state.getFinishedAt(),
        config == null ? Map.of() : orEmpty(config.getLabels()), published,
        r.getHostConfig() == null || r.getHostConfig().getCpuShares() == null ? 0 : r.getHostConfig().getCpuShares(),
        r.getHostConfig() != null && Boolean.TRUE.equals(r.getHostConfig().getPrivileged()));
  }

  static ImageSummary image(Image i) {
    List<String> tags = list(i.getRepoTags()).stream().filter(t -> !t.equals("<none>:<none>")).toList();
    return new ImageSummary(i.getId(), tags, i.getSize() == null ? 0 : i.getSize());
  }

  static EngineInfo info(Info i, Version v) {
    Map<String, String> labels = new HashMap<>();
    for (String label : list(i.getLabels())) {
      int eq = label.indexOf('=');
      labels.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
    }
    return new EngineInfo(i.getId(), i.getName(), i.getServerVersion(), v.getApiVersion(),
        i.getOperatingSystem(), i.getOsType(), i.getArchitecture(), i.getKernelVersion(),
        i.getDriver(), i.getNCPU() == null ? 0 : i.getNCPU(),
        i.getMemTotal() == null ? 0 : i.getMemTotal(), labels);
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
