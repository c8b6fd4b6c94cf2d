package io.berth.cluster.loop;

/**
 * Whether a {@link ReconcileLoop} may run its next pass; asked before every pass. Leadership plugs
 * in here: a manager that does not lead keeps its loops closed, and signals them when it starts to.
 */
@FunctionalInterface
public interface Gate {
  /** A gate that is always open: the loop runs wherever it is started. */
  Gate OPEN = () -> true;

  boolean open();
}
