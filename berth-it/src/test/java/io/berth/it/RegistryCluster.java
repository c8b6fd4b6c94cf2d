package io.berth.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The three-node cluster with the manager's image registry on {@value #REGISTRY} that
 * {@link RegistryIT} and {@link BuildPipelineIT} share: nodes 36-38, of which 37 and 38 take code
 * builds ({@code berth.build=true}), one run at a time each.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@BerthCluster(nodes = 3, firstNode = 36, managerArgs = {"--registry-addr", RegistryCluster.REGISTRY},
    labels = {"37:berth.build=true", "38:berth.build=true", "berth.build.slots=1"})
@interface RegistryCluster {
  String REGISTRY = "127.0.0.1:5036";
}
