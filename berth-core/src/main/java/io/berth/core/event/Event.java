package io.berth.core.event;

import java.time.Instant;

/**
 * One entry of the activity log: something that happened to a resource.
 *
 * @param type stable, greppable phrase ({@code node-joined}, {@code node-down}, {@code node-ready})
 * @param subject the resource it concerns ({@code node/n1})
 * @param message one sentence for people
 */
public record Event(Instant time, String type, String subject, String message) {}
