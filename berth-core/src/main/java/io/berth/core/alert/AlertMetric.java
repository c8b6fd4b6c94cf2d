package io.berth.core.alert;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an alert rule may compare (docs/alerts.md): an app's container numbers, its instances, the
 * routers' traffic numbers, and for administrators the cluster's memory forecast. Each has the
 * quantity its threshold is written in, which decides the units it accepts.
 */
public enum AlertMetric {
  CPU(Quantity.CPU, "% of one CPU, summed over instances"),
  CPU_PER_INSTANCE(Quantity.CPU, "% of one CPU, the busiest instance"),
  MEMORY(Quantity.BYTES, "bytes, or % of the limit, the largest instance"),
  NET_RX(Quantity.BYTES_PER_SECOND, "bytes received per second, summed"),
  NET_TX(Quantity.BYTES_PER_SECOND, "bytes sent per second, summed"),
  BLOCK_READ(Quantity.BYTES_PER_SECOND, "block bytes read per second, summed"),
  BLOCK_WRITE(Quantity.BYTES_PER_SECOND, "block bytes written per second, summed"),
  RESTARTS(Quantity.COUNT, "instance crashes over the window, e.g. restarts[10m]"),
  INSTANCES_RUNNING(Quantity.COUNT, "instances running and healthy"),
  UNHEALTHY(Quantity.COUNT, "instances crashed or failing their checks"),
  REQUESTS(Quantity.PER_SECOND, "requests per second through the routers"),
  ERRORS_5XX(Quantity.PERCENT, "% of requests answered 5xx"),
  LATENCY_P99(Quantity.MILLIS, "99th percentile latency through the routers"),
  CLUSTER_MEMORY_FULL_IN(Quantity.DURATION, "time until the cluster's memory is full at its trend (administrators only)");

  /** How a threshold is written, and the base unit it is kept in. */
  public enum Quantity {
    /** Percent of one CPU; {@code m} is a thousandth of a CPU (Kubernetes' millicores). */
    CPU(List.of("%", "m")),
    /** Bytes; {@code %} is of the memory limit. */
    BYTES(List.of("k", "M", "G", "Ki", "Mi", "Gi", "%")),
    BYTES_PER_SECOND(List.of("k", "M", "G", "Ki", "Mi", "Gi")),
    COUNT(List.of()),
    PER_SECOND(List.of("k")),
    PERCENT(List.of("%")),
    /** Milliseconds. */
    MILLIS(List.of("ms", "s")),
    /** Seconds. */
    DURATION(List.of("s", "m", "h", "d"));

    private final List<String> units;

    Quantity(List<String> units) {
      this.units = units;
    }

    /** The units a threshold may carry; a bare number is always allowed (in the base unit). */
    public List<String> units() {
      return units;
    }
  }

  private final Quantity quantity;
  private final String help;

  AlertMetric(Quantity quantity, String help) {
    this.quantity = quantity;
    this.help = help;
  }

  /** The name in expressions: {@code cpu_per_instance}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Quantity quantity() {
    return quantity;
  }

  public String help() {
    return help;
  }

  /** Only {@code restarts} is counted over a window. */
  public boolean windowed() {
    return this == RESTARTS;
  }

  /** Only administrators may write a rule on it. */
  public boolean adminOnly() {
    return this == CLUSTER_MEMORY_FULL_IN;
  }

  /** Every metric's word, in order, for "expected one of …". */
  public static List<String> words() {
    return Arrays.stream(values()).map(AlertMetric::word).toList();
  }

  public static Optional<AlertMetric> of(String word) {
    return Arrays.stream(values()).filter(m -> m.word().equals(word)).findFirst();
  }
}
