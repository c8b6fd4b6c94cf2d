package io.berth.store;

/**
 * Whether the store can take writes: how many of its members answer, and the sentence that says
 * so ({@code store has no quorum: 1 of 3 members answer}) for logs, {@code /healthz} and errors.
 */
public record StoreHealth(boolean ok, int answering, int members, String message) {

  /** The health of a store where {@code answering} of {@code members} answer: ok with a majority. */
  public static StoreHealth of(int answering, int members) {
    boolean quorum = answering > members / 2;
    String counts = answering + " of " + members + " members answer";
    return new StoreHealth(quorum, answering, members, quorum ? counts : "store has no quorum: " + counts);
  }
}
