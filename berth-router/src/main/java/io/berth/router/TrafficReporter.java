package io.berth.router;

import io.berth.cluster.Refused;
import io.berth.cluster.wire.TrafficReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the router's traffic numbers: each call ends the current {@link TrafficWindow} and posts it to the manager. A
 * manager that answers 404 (older than the route) is not sent numbers for {@link #UNSUPPORTED_PAUSE}, and the windows
 * meanwhile are dropped; a window that does not get through is lost, as a missed sample: the next one says what
 * happens then. Called by one loop at a time.
 */
final class TrafficReporter {
  private static final Logger log = LoggerFactory.getLogger(TrafficReporter.class);
  /** How long a manager without the traffic route (an older one) is not sent numbers before it is asked again. */
  static final Duration UNSUPPORTED_PAUSE = Duration.ofMinutes(5);
  private final String id;
  private final String group;
  private final TrafficWindow window;
  private final ManagerLink manager;
  private final Clock clock;
  /** The manager that answered the traffic route with 404, and until when it is not sent numbers. */
  private String unsupportedBy;
  private long unsupportedUntil;

  TrafficReporter(String id, String group, TrafficWindow window, ManagerLink manager, Clock clock) {
    this.id = id;
    this.group = group;
    this.window = window;
    this.manager = manager;
    this.clock = clock;
  }

  /** Ends the window and posts it. */
  void report() {
    TrafficReport numbers = window.take(id, group, clock.millis());
    String to = manager.current();
    if (to.equals(unsupportedBy) && clock.millis() < unsupportedUntil) return;
    try {
      manager.traffic(numbers);
      unsupportedBy = null;
    } catch (Refused e) {
      if (e.status() != 404) return; // the status reporter logs a manager that refuses the router
      if (!to.equals(unsupportedBy)) log.info("router-traffic-unsupported manager={}: it has no traffic route; numbers not sent", to);
      unsupportedBy = to;
      unsupportedUntil = clock.millis() + UNSUPPORTED_PAUSE.toMillis();
    } catch (IOException | RuntimeException e) {
      // the poller says the manager is unreachable, once
    }
  }
}
