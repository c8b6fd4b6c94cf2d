package io.berth.core.app;

import java.time.Instant;

/**
 * One entry of an app's activity: a deploy, scale, rollback, promote, abort or removal, who asked
 * for it, and how it ended ({@code started}, {@code succeeded}, {@code failed}, {@code aborted}).
 */
public record AppEvent(Instant time, String app, String action, String user, int version, String outcome, String message) {}
