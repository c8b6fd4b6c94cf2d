package io.berth.cluster.wire;

/** A node asks to join: the token's secret, the name it wants and its public key (PEM). */
public record JoinRequest(String token, String name, String publicKey) {}
