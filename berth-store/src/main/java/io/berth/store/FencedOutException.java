package io.berth.store;

/** A fenced write found its {@link Fence} gone or replaced: nothing was written. */
public final class FencedOutException extends StoreException {
  private final transient Fence fence;

  public FencedOutException(Fence fence) {
    super("not the leader any more: " + fence.key() + " changed");
    this.fence = fence;
  }

  /** The fence that no longer holds. */
  public Fence fence() {
    return fence;
  }
}
