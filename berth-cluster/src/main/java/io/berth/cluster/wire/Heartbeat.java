package io.berth.cluster.wire;

/** The manager's answer to a register or heartbeat: the node's state and how often to beat. */
public record Heartbeat(String state, long intervalMillis, long ttlMillis) {}
