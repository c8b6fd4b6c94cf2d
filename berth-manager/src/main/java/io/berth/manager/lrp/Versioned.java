package io.berth.manager.lrp;

/** A value read from the store with the revision it was last modified at, for compare-and-put. */
public record Versioned<T>(T value, long revision) {}
