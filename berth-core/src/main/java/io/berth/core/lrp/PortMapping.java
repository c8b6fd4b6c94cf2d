package io.berth.core.lrp;

/** A container port and the host port it is published on, at the node's address. */
public record PortMapping(int containerPort, int hostPort) {}
