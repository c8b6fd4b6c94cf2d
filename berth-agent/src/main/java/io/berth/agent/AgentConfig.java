package io.berth.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * How an agent runs.
 *
 * @param manager the manager's cluster address, {@code host:port}
 * @param joinToken the join token; needed only until the node holds a certificate
 * @param advertise the address managers reach this agent's engine proxy at
 * @param listen where the engine proxy listens (by default the advertised address)
 * @param engineUrl the local engine, {@code unix:///var/run/docker.sock} or {@code tcp://host:port}
 * @param labels node labels, added to (and overriding) the engine's labels
 * @param dataDir keeps the node's key and certificate
 */
public record AgentConfig(String manager, String joinToken, InetSocketAddress advertise, InetSocketAddress listen,
                          String engineUrl, String name, Map<String, String> labels, Path dataDir) {
  public AgentConfig {
    labels = Map.copyOf(labels);
  }

  /** The advertised address as {@code ip:port}. */
  public String advertised() {
    return advertise.getHostString() + ":" + advertise.getPort();
  }
}
