package io.berth.store;

/** A fenced write was refused: the term it was made under has ended (another manager leads now). Nothing was written. */
public final class FencedOutException extends StoreException {

  /** The store's refusal: {@code fence}'s key is gone or was created again. */
  public FencedOutException(Fence fence) {
    this("not the leader any more: " + fence.key() + " changed");
  }

  /** A refusal in the caller's words (a manager that holds no term at all). */
  public FencedOutException(String message) {
    super(message);
  }
}
