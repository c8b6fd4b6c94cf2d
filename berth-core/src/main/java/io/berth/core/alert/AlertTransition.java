package io.berth.core.alert;

import io.berth.core.alert.AlertState.Phase;
import java.time.Instant;

/**
 * One change of one rule's phase, as the cluster's alert history keeps it (the newest 1,000).
 *
 * @param activeSince when the expression began to hold; with app and rule it names the alert
 *     (the notice's id), so the same firing seen by two leaders is one
 */
public record AlertTransition(Instant at, String app, String rule, Phase from, Phase to, double value, String expression,
                              String severity, Instant activeSince) {}
