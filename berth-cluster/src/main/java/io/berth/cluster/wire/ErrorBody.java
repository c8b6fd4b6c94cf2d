package io.berth.cluster.wire;

/** An error as Berth's APIs send it: a stable name and a sentence for people (Receptor's shape). */
public record ErrorBody(String name, String message) {}
