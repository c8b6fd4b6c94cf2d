package io.berth.manager.leader;

import java.time.Instant;

/**
 * One live manager as it announces itself at {@code /berth/managers/{name}}: where its API, cluster
 * endpoint and Docker endpoint (null when off) answer, since when it runs, and its version.
 */
public record ManagerRecord(String name, String api, String cluster, String docker, Instant since, String version) {}
