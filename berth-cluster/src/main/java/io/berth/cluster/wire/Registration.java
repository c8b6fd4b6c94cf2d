package io.berth.cluster.wire;

import io.berth.core.node.EngineFacts;
import java.util.Map;

/** What an agent tells the manager of its node when it (re)connects. */
public record Registration(String address, EngineFacts engine, Map<String, String> labels) {}
