package io.berth.store.backup;

import java.time.Instant;

/**
 * What a backup says of itself before its keys: the format it is written in, the Berth that wrote
 * it, the cluster it belongs to (the SHA-256 of its CA certificate, hex; empty for a store without
 * a CA), the one store revision every key was read at, when, and how many keys and files follow.
 */
public record BackupHeader(int format, String berthVersion, String cluster, long revision, Instant time,
                           int keys, int files) {}
