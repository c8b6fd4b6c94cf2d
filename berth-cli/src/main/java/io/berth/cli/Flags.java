package io.berth.cli;

import io.berth.agent.AgentConfig;
import io.berth.core.Addresses;
import io.berth.core.Durations;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Flag value converters with messages that say the expected form. */
final class Flags {
  private Flags() {}

  static InetSocketAddress address(String flag, String text) {
    try {
      Addresses.HostPort hp = Addresses.parse(flag, text);
      return new InetSocketAddress(hp.host(), hp.port());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** {@code 512m}, {@code 8g}, {@code 1048576}: a size as docker's {@code -m} reads it. */
  static long bytes(String flag, String text) {
    Matcher m = Pattern.compile("(?i)(\\d+)([kmg]?)b?").matcher(text.strip());
    if (!m.matches()) throw new IllegalArgumentException(flag + " must be a size like 512m or 8g, not '" + text + "'");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  static Strategy strategy(String name) {
    try {
      return Strategy.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--strategy: " + e.getMessage(), e);
    }
  }

  /** The filters named, checked; all of them when none is named. */
  static List<String> filters(List<String> names) {
    if (names == null || names.isEmpty()) return Scheduler.FILTERS;
    for (String n : names) {
      if (!Scheduler.FILTERS.contains(n.trim())) {
        throw new IllegalArgumentException("--filter: unknown filter '" + n + "': choose from " + String.join(", ", Scheduler.FILTERS));
      }
    }
    return names.stream().map(String::trim).toList();
  }

  /** {@code --metrics-interval}: whole seconds from 1s to 1h. */
  static Duration metricsInterval(String text) {
    return duration(text, d -> d.toMillis() % 1000 == 0 && d.toSeconds() >= 1 && d.toSeconds() <= 3600,
        "--metrics-interval must be whole seconds from 1s to 1h (e.g. 10s), not '" + text + "'");
  }

  /** {@code --metrics-retention}: from 1m to 24h. */
  static Duration metricsRetention(String text) {
    return duration(text, d -> d.toSeconds() >= 60 && d.toSeconds() <= 86_400,
        "--metrics-retention must be from 1m to 24h (e.g. 1h), not '" + text + "'");
  }

  /** {@code --scale-down-window}: from 0s to 1h (HPA's stabilisation window). */
  static Duration scaleDownWindow(String text) {
    return duration(text, d -> !d.isNegative() && d.toSeconds() <= 3600,
        "--scale-down-window must be from 0s to 1h (e.g. 5m), not '" + text + "'");
  }

  /** {@code --autoscale-every}: whole seconds from 1s to 5m (HPA's sync period, 15s by default). */
  static Duration autoscaleEvery(String text) {
    return pace("--autoscale-every", text, "15s");
  }

  /** {@code --alert-every}: whole seconds from 1s to 5m (10s by default). */
  static Duration alertEvery(String text) {
    return pace("--alert-every", text, "10s");
  }

  /** A leader loop's period: whole seconds from 1s to 5m. */
  private static Duration pace(String flag, String text, String example) {
    return duration(text, d -> d.toMillis() % 1000 == 0 && d.toSeconds() >= 1 && d.toSeconds() <= 300,
        flag + " must be whole seconds from 1s to 5m (e.g. " + example + "), not '" + text + "'");
  }

  /** A duration that {@code allowed} accepts; {@code wrong} is the one message for any other text. */
  private static Duration duration(String text, Predicate<Duration> allowed, String wrong) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(wrong);
    }
    if (!allowed.test(d)) throw new IllegalArgumentException(wrong);
    return d;
  }

  /**
   * {@code --metrics-addr}: {@code off} (null), {@code HOST:PORT}, or when not given the agent's
   * advertised host on port 9323 (dockerd's metrics port).
   */
  static InetSocketAddress metricsAddr(String text, String defaultHost) {
    if (text == null) return new InetSocketAddress(defaultHost, AgentConfig.METRICS_PORT);
    if (text.equals("off")) return null;
    return address("--metrics-addr", text);
  }

  /** Converts {@code 3s}, {@code 500ms} … */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
