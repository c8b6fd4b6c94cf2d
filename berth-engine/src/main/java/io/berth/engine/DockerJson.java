package io.berth.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one mapper for the JSON of Docker's Engine and Registry APIs: Jackson's defaults, since that
 * JSON is mostly read and written as trees with Docker's own PascalCase names. Berth's own API and
 * store formats have theirs in {@code io.berth.cluster.Json} (snake_case, ISO times).
 */
public final class DockerJson {
  /** Shared and never reconfigured after this line: an ObjectMapper is thread-safe once set up. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private DockerJson() {}
}
