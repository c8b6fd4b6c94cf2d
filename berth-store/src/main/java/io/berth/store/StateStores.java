package io.berth.store;

/**
 * Opens a store from its URL: {@code sqlite:///path/berth.db} or
 * {@code etcd://host:port[,host:port...]}. A malformed URL or an unreachable store is a
 * {@link StoreException} with one clear sentence.
 */
public final class StateStores {
  private StateStores() {}

  /** Opens the store the URL names. */
  public static StateStore open(String url) {
    throw new StoreException("not implemented yet: " + url);
  }
}
