package io.berth.cli;

import io.berth.manager.Manager;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The leader loops' paces, shared by {@code berth manage} and {@code berth dev}: the autoscaler's window and period, the alerts' period. */
final class ScalingOptions {
  @Option(names = "--scale-down-window", defaultValue = "5m", paramLabel = "DURATION",
      description = "How long an autoscaled app's lower recommendations must hold before it scales down (default: ${DEFAULT-VALUE}; "
          + "0s to 1h; Kubernetes' HPA stabilisation window).")
  String scaleDownWindow;

  @Option(names = "--autoscale-every", defaultValue = "15s", paramLabel = "DURATION",
      description = "How often the leader looks at each autoscaled app (default: ${DEFAULT-VALUE}; 1s to 5m; Kubernetes' HPA sync period).")
  String autoscaleEvery;

  @Option(names = "--alert-every", defaultValue = "10s", paramLabel = "DURATION",
      description = "How often the leader evaluates every alert rule (default: ${DEFAULT-VALUE}; 1s to 5m).")
  String alertEvery;

  /** The flags, checked now: a bad one stops the start with one line, before the manager starts. */
  Paces paces() {
    return new Paces(Flags.scaleDownWindow(scaleDownWindow), Flags.autoscaleEvery(autoscaleEvery), Flags.alertEvery(alertEvery));
  }

  /** The checked paces. */
  record Paces(Duration scaleDownWindow, Duration autoscaleEvery, Duration alertEvery) {
    /** Sets them on a started manager's autoscaler and alert evaluator. */
    void applyTo(Manager m) {
      m.scaling().autoscaling().scaleDownWindow(scaleDownWindow).every(autoscaleEvery);
      m.alerts().every(alertEvery);
    }
  }
}
