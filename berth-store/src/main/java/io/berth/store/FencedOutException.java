package io.berth.store;

/** A fenced write was refused: the term it was made under has ended (another manager leads now). */
public class FencedOutException extends StoreException {
  public FencedOutException(String message) {
    super(message);
  }
}
