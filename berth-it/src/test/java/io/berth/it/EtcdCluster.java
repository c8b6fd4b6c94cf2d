package io.berth.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The three-node cluster on etcd that {@link ClusterIT}, {@link LrpIT} and {@link AppIT} share:
 * nodes 24-26, a 4 s node TTL with 1 s heartbeats (so a lost node shows within seconds), and a
 * {@code rack=rN} label on node N.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@BerthCluster(nodes = 3, firstNode = 24, store = BerthCluster.Store.ETCD, managerArgs = {"--node-ttl", "4s", "--heartbeat", "1s"},
    labels = "rack=r{n}")
@interface EtcdCluster {}
