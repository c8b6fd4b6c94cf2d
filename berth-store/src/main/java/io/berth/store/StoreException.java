package io.berth.store;

/** A store could not do what was asked; the message says why in words a user understands. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
