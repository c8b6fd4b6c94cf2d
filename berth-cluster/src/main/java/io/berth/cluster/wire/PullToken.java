package io.berth.cluster.wire;

/**
 * The manager's answer to a node about to pull an image from Berth's registry: a registry token
 * granting pull on that one repository, for the engine's {@code X-Registry-Auth}.
 */
public record PullToken(String registry, String repository, String token) {}
