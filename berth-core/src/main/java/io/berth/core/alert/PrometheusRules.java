package io.berth.core.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders rules as Prometheus alerting rules ({@code GET /v1/alerts/rules.yml}) over the series the
 * manager's {@code /metrics} exports (docs/metrics.md), one group per app. A metric with no series
 * there is left out, with a comment in the file saying which rule and why.
 */
public final class PrometheusRules {
  private PrometheusRules() {}

  public static String render(List<AlertRule> rules) {
    Map<String, List<AlertRule>> byApp = new TreeMap<>();
    for (AlertRule r : rules) byApp.computeIfAbsent(r.app(), k -> new ArrayList<>()).add(r);
    StringBuilder out = new StringBuilder("# Berth's alert rules as Prometheus alerting rules over the manager's /metrics series.\n")
        .append("# Scrape the manager with an administrator's API token (docs/metrics.md).\n");
    out.append(byApp.isEmpty() ? "groups: []\n" : "groups:\n");
    for (Map.Entry<String, List<AlertRule>> e : byApp.entrySet()) {
      out.append("  - name: ").append(quote("berth-app-" + e.getKey())).append("\n    rules:");
      int written = 0;
      StringBuilder body = new StringBuilder();
      for (AlertRule r : e.getValue()) {
        AlertExpression x = r.expression();
        String promql = promql(x, r.app());
        if (promql == null) {
          body.append("\n      # ").append(r.name()).append(" (").append(x).append(") is left out: /metrics has no per-app series for ")
              .append(x.metric().word());
          continue;
        }
        written++;
        body.append("\n      - alert: ").append(alertName(r))
            .append("\n        expr: ").append(quote(promql + " " + x.comparison().symbol() + " " + number(x.threshold())))
            .append("\n        for: ").append(r.forDuration())
            .append("\n        labels:")
            .append("\n          severity: ").append(quote(r.severity()))
            .append("\n          app: ").append(quote(r.app()))
            .append("\n          rule: ").append(quote(r.name()))
            .append("\n        annotations:")
            .append("\n          summary: ").append(quote(r.id() + ": " + x + " for " + r.forDuration()))
            .append("\n          source: ").append(quote(r.source().word()));
      }
      out.append(written == 0 ? " []" : "").append(body).append('\n');
    }
    return out.toString();
  }

  /** The PromQL of the expression's left side for {@code app}, or null when /metrics has no series for it. */
  static String promql(AlertExpression x, String app) {
    String sel = "{app=\"" + app.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    return switch (x.metric()) {
      case CPU -> "sum by (app) (berth_container_cpu_percent" + sel + ")";
      case CPU_PER_INSTANCE -> "max by (app) (berth_container_cpu_percent" + sel + ")";
      case MEMORY -> x.ofLimit()
          ? "max by (app) (berth_container_memory_bytes" + sel + " / berth_container_memory_limit_bytes" + sel + " * 100)"
          : "max by (app) (berth_container_memory_bytes" + sel + ")";
      case NET_RX -> "sum by (app) (berth_container_net_rx_bytes_per_second" + sel + ")";
      case NET_TX -> "sum by (app) (berth_container_net_tx_bytes_per_second" + sel + ")";
      case BLOCK_READ -> "sum by (app) (berth_container_block_read_bytes_per_second" + sel + ")";
      case BLOCK_WRITE -> "sum by (app) (berth_container_block_write_bytes_per_second" + sel + ")";
      case INSTANCES_RUNNING -> "sum by (app) (berth_app_instances{app=\"" + app + "\",state=\"RUNNING\"})";
      case UNHEALTHY -> "sum by (app) (berth_app_instances{app=\"" + app + "\",state=\"CRASHED\"})";
      case REQUESTS -> "sum by (app) (berth_app_requests_per_second" + sel + ")";
      case ERRORS_5XX -> "max by (app) (berth_app_errors_5xx_percent" + sel + ")";
      case LATENCY_P99 -> "max by (app) (berth_app_latency_p99_seconds" + sel + ") * 1000"; // the rule's threshold is in ms
      default -> null;
    };
  }

  /** Prometheus wants an alert name shaped as a metric name: {@code web_high_cpu}. */
  static String alertName(AlertRule r) {
    return (r.app() + "_" + r.name()).replaceAll("[^a-zA-Z0-9_]", "_");
  }

  private static String number(double v) {
    return AlertExpression.number(v);
  }

  /** A YAML single-quoted scalar. */
  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
