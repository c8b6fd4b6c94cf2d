package io.berth.it;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs test classes by name, except that classes on one {@link BerthCluster} spec run one after the
 * other, where the first of them would, so each cluster starts once (see junit-platform.properties);
 * among them a class with a higher {@link Order} runs later (one that breaks the cluster: last).
 */
final class ClassesByCluster implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    Map<Object, String> first = new HashMap<>();
    context.getClassDescriptors().stream().map(ClassDescriptor::getTestClass).sorted(Comparator.comparing(Class::getName))
        .forEach(c -> first.putIfAbsent(group(c), c.getName()));
    context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor d) -> first.get(group(d.getTestClass())))
        .thenComparingInt(d -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
        .thenComparing(d -> d.getTestClass().getName()));
  }

  private static Object group(Class<?> c) {
    return AnnotationSupport.isAnnotated(c, BerthCluster.class) ? ClusterSpec.of(c) : c.getName();
  }
}
