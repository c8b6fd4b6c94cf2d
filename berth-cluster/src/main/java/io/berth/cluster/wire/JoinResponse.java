package io.berth.cluster.wire;

/** The manager's answer to a join: the node's certificate and the CA's, both PEM. */
public record JoinResponse(String nodeId, String certificate, String ca) {}
