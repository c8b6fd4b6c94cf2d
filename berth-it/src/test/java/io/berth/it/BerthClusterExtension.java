package io.berth.it;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a class's {@link BerthCluster} before it and hands it to the class as a {@link Cluster}
 * parameter (of a {@code @BeforeAll} method or a test). Started clusters live in the root store:
 * the next class with the same spec gets the running one ({@link ClassesByCluster} runs such
 * classes one after the other), a class with another spec first closes the idle ones (one cluster
 * at a time: each is three dockerds and four JVMs), and the last closes with the run. A cluster a
 * class left broken (a process dead, a node not ready) is closed, not handed on.
 */
final class BerthClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BerthClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ClusterSpec spec = ClusterSpec.of(context.getRequiredTestClass());
    Running running = context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
    context.getStore(NS).put(Lease.class, new Lease(running.acquire(spec, context.getRequiredTestClass().getSimpleName())));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Lease lease = context.getStore(NS).get(Lease.class, Lease.class);
    if (lease != null && !lease.cluster().healthy()) {
      context.getRoot().getStore(NS).get(Running.class, Running.class).discard(lease.cluster());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NS).get(Lease.class, Lease.class).cluster();
  }

  /**
   * A class's use of a cluster, in the class's store: not the cluster itself, which is
   * AutoCloseable and would be closed with the class's store.
   */
  record Lease(Cluster cluster) {}

  /** The clusters started in this run, by spec; closed with the root store at the end. */
  static final class Running implements AutoCloseable {
    private final Map<ClusterSpec, Cluster> clusters = new LinkedHashMap<>();

    synchronized Cluster acquire(ClusterSpec spec, String forClass) throws Exception {
      Cluster c = clusters.get(spec);
      if (c != null) {
        System.out.printf("berth-it: %s reuses the cluster of nodes %d..%d%n", forClass, spec.firstNode(), spec.firstNode() + spec.nodes() - 1);
        return c;
      }
      close();
      long t0 = System.nanoTime();
      c = Cluster.start(spec);
      System.out.printf("berth-it: cluster for %s started in %.1f s%n", forClass, (System.nanoTime() - t0) / 1e9);
      clusters.put(spec, c);
      return c;
    }

    synchronized void discard(Cluster c) {
      clusters.values().remove(c);
      c.close();
    }

    @Override
    public synchronized void close() {
      for (Cluster c : clusters.values()) c.close();
      clusters.clear();
    }
  }
}
