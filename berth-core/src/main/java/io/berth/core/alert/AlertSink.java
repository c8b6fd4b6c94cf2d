package io.berth.core.alert;

/** Where the alert evaluator hands each transition: notifications deliver it to people. */
@FunctionalInterface
public interface AlertSink {
  AlertSink NONE = notice -> {};

  /** Takes the notice; must return quickly and never throw for a receiver that is down. */
  void deliver(AlertNotice notice);
}
