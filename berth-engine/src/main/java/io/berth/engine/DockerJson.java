package io.berth.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.berth.core.id.NodeName;

/**
 * The one mapper for the JSON of Docker's Engine and Registry APIs: Jackson's defaults, since that
 * JSON is mostly read and written as trees with Docker's own PascalCase names. Berth's own API and
 * store formats have theirs in {@code io.berth.cluster.Json} (snake_case, ISO times).
 */
public final class DockerJson {
  /**
   * Shared and never reconfigured after this line: an ObjectMapper is thread-safe once set up. A
   * node name put into a Docker-shaped map is written as Swarm wrote it, the bare name, not as the
   * record Jackson would otherwise make of it ({@code {"value":"n1"}}).
   */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("node-names").addSerializer(NodeName.class, ToStringSerializer.instance));

  private DockerJson() {}
}
