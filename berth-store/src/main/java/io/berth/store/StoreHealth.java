package io.berth.store;

/**
 * Whether the store can take writes: {@code answering} of {@code members} members answer, and
 * {@code message} says so in words ({@code store has no quorum: 1 of 3 members answer}).
 */
public record StoreHealth(boolean ok, int answering, int members, String message) {}
