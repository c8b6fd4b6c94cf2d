package io.berth.it;

import java.util.List;
import org.junit.platform.commons.support.AnnotationSupport;

/** A {@link BerthCluster} as a value: two classes with equal specs run on one cluster. */
record ClusterSpec(int nodes, int firstNode, BerthCluster.Store store, int etcdMembers, int managers, boolean manager, boolean agents,
                   List<String> managerArgs, List<String> labels, int engineTcpPort, Class<? extends BerthCluster.Setup> setup) {

  /** The spec of {@code testClass}'s {@link BerthCluster}, written on it or on an annotation it carries. */
  static ClusterSpec of(Class<?> testClass) {
    BerthCluster c = AnnotationSupport.findAnnotation(testClass, BerthCluster.class).orElseThrow();
    return new ClusterSpec(c.nodes(), c.firstNode(), c.store(), c.etcdMembers(), c.managers(), c.manager(), c.agents(),
        List.of(c.managerArgs()), List.of(c.labels()), c.engineTcpPort(), c.setup());
  }

  /** The {@code --label} flags of node {@code number}, in the order given. */
  List<String> labelFlags(int number) {
    return labels.stream().filter(l -> !l.matches("\\d+:.*") || l.startsWith(number + ":"))
        .flatMap(l -> List.of("--label", l.replaceFirst("^\\d+:", "").replace("{n}", String.valueOf(number))).stream()).toList();
  }

  /** True when agents are to join and be ready. */
  boolean joins() {
    return manager && agents && nodes > 0;
  }
}
