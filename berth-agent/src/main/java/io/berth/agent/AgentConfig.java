package io.berth.agent;

import io.berth.core.Addresses;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an agent runs.
 *
 * @param manager the managers' cluster addresses, {@code host:port[,host:port…]}: the agent starts
 *     with the first and learns the others' from their answers
 * @param joinToken the join token; needed only until the node holds a certificate
 * @param advertise the address managers reach this agent's engine proxy at
 * @param listen where the engine proxy listens (by default the advertised address)
 * @param engineUrl the local engine, {@code unix:///var/run/docker.sock} or {@code tcp://host:port}
 * @param labels node labels, added to (and overriding) the engine's labels
 * @param dataDir keeps the node's key and certificate
 * @param metricsInterval how often the agent samples its containers' stats for the manager
 * @param metricsAddr where the agent serves {@code GET /metrics}, or null for nowhere
 * @param metricsAddrExplicit the operator chose {@code metricsAddr} (busy is then an error, not a warning)
 * @param buildSlots how many builds run at once on a build node (labelled {@value #BUILD_LABEL}{@code =true})
 */
public record AgentConfig(String manager, String joinToken, InetSocketAddress advertise, InetSocketAddress listen,
                          String engineUrl, String name, Map<String, String> labels, Path dataDir,
                          Duration metricsInterval, InetSocketAddress metricsAddr, boolean metricsAddrExplicit,
                          int buildSlots) {
  /** The default metrics interval, as cAdvisor's housekeeping and Prometheus' scrape interval. */
  public static final Duration METRICS_INTERVAL = Duration.ofSeconds(10);
  /** The port of the agent's {@code /metrics} unless told otherwise (dockerd's own metrics port). */
  public static final int METRICS_PORT = 9323;
  /** Builds run on the nodes with this label {@code =true}, and only there. */
  public static final String BUILD_LABEL = "berth.build";
  /** Builds at once on a build node unless told otherwise ({@code --build-slots}). */
  public static final int BUILD_SLOTS = 2;
  /** The node label the manager's build placer reads the slots from ({@code berth join --build-slots}). */
  public static final String BUILD_SLOTS_LABEL = "berth.build.slots";

  public AgentConfig {
    managers(manager); // a malformed entry is refused before anything starts
    labels = Map.copyOf(labels);
    if (metricsInterval == null) metricsInterval = METRICS_INTERVAL;
    if (buildSlots < 1) throw new IllegalArgumentException("--build-slots: at least 1, not " + buildSlots);
  }

  /** With the default {@value #BUILD_SLOTS} build slots. */
  public AgentConfig(String manager, String joinToken, InetSocketAddress advertise, InetSocketAddress listen,
                     String engineUrl, String name, Map<String, String> labels, Path dataDir,
                     Duration metricsInterval, InetSocketAddress metricsAddr, boolean metricsAddrExplicit) {
    this(manager, joinToken, advertise, listen, engineUrl, name, labels, dataDir, metricsInterval, metricsAddr,
        metricsAddrExplicit, BUILD_SLOTS);
  }

  /** Sampling every 10 s, serving no {@code /metrics}. */
  public AgentConfig(String manager, String joinToken, InetSocketAddress advertise, InetSocketAddress listen,
                     String engineUrl, String name, Map<String, String> labels, Path dataDir) {
    this(manager, joinToken, advertise, listen, engineUrl, name, labels, dataDir, METRICS_INTERVAL, null, false, BUILD_SLOTS);
  }

  /** The same with these metrics settings. */
  public AgentConfig withMetrics(Duration interval, InetSocketAddress addr, boolean explicit) {
    return new AgentConfig(manager, joinToken, advertise, listen, engineUrl, name, labels, dataDir, interval, addr, explicit, buildSlots);
  }

  /** The same with {@code slots} builds at once ({@code --build-slots}). */
  public AgentConfig withBuildSlots(int slots) {
    return new AgentConfig(manager, joinToken, advertise, listen, engineUrl, name, labels, dataDir, metricsInterval, metricsAddr,
        metricsAddrExplicit, slots);
  }

  /** The managers' cluster addresses, in the order given. */
  public List<String> managers() {
    return managers(manager);
  }

  /**
   * Splits a {@code --manager} list ({@code a:2377,b:2377}); a blank or malformed entry (a URL, no
   * port) is an {@link IllegalArgumentException} that names it.
   */
  public static List<String> managers(String list) {
    if (list == null || list.isBlank()) throw new IllegalArgumentException("--manager: give at least one HOST:PORT, e.g. 10.0.0.1:2377");
    List<String> out = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      String e = entry.trim();
      if (e.isEmpty()) throw new IllegalArgumentException("--manager: an empty entry in '" + list + "'");
      if (e.contains("/")) throw new IllegalArgumentException("--manager takes HOST:PORT entries, not URLs: '" + e + "'");
      Addresses.parse("--manager", e);
      if (!out.contains(e)) out.add(e);
    }
    return List.copyOf(out);
  }

  /** The advertised address as {@code ip:port}. */
  public String advertised() {
    return advertise.getHostString() + ":" + advertise.getPort();
  }
}
