package io.berth.engine;

import java.nio.file.Path;

/**
 * One engine of {@link LocalEngines}: its node name ("node1"), number, socket URL, the loopback
 * address its ports are published on ("127.0.0.11"), its bridge, its directory and a client.
 */
public record LocalEngine(String name, int number, String socket, String address, String bridge,
                          Path dir, DockerEngine engine) {}
