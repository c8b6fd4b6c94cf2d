package io.berth.it;

import io.berth.engine.LocalEngine;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster an integration test runs on: real engines, a store, the berth jar as manager(s) and
 * agents, started before the class and handed to it as a {@link Cluster} parameter. A class with
 * the same shape after it reuses the running cluster (see {@link BerthClusterExtension}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BerthClusterExtension.class)
@interface BerthCluster {
  /** How many engines; 0 for none (a manager alone). */
  int nodes() default 3;

  /** The number of the first engine (node K publishes on 127.0.0.1K): tests use their own to leave others theirs. */
  int firstNode();

  Store store() default Store.SQLITE;

  /** With {@link Store#ETCD}: how many etcd members form the store (each its own process, one may be killed). */
  int etcdMembers() default 1;

  /** How many managers on the store; agents join the first. */
  int managers() default 1;

  /** False: engines only (a test that starts {@code berth dev} itself). */
  boolean manager() default true;

  /** False: no agents join (engines the manager finds by discovery). */
  boolean agents() default true;

  /** More flags for {@code berth manage}; {@code {dir}} stands for the cluster's directory, {@code {i}} for the manager's number. */
  String[] managerArgs() default {};

  /** Agent labels {@code k=v} for every node, {@code N:k=v} for node N only; {@code {n}} stands for the node's number. */
  String[] labels() default {};

  /** With it, each engine also listens on plain TCP on this port (see {@code LocalEngines.Builder.tcpPort}). */
  int engineTcpPort() default 0;

  /** Runs once the engines are up and before the manager starts (certificates, discovery files). */
  Class<? extends Setup> setup() default Setup.None.class;

  /** Where the cluster keeps its state. */
  enum Store { SQLITE, ETCD }

  /** What a cluster needs made before its manager starts, in its directory. */
  interface Setup {
    void beforeManager(Path dir, List<LocalEngine> engines) throws Exception;

    /** Nothing to make. */
    final class None implements Setup {
      @Override
      public void beforeManager(Path dir, List<LocalEngine> engines) {}
    }
  }
}
