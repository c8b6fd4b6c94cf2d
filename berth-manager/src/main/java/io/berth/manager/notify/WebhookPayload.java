package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message as Prometheus Alertmanager's webhook sends it, version 4, so any Alertmanager receiver takes it unchanged.
 * Field names are Alertmanager's own (camelCase), hence maps rather than records under Berth's snake_case mapper.
 * Labels: {@code alertname} (the rule), {@code app}, {@code severity}; annotations: {@code summary}, {@code expression},
 * {@code value}. The group is the app: {@code groupLabels} is {@code {app}}.
 */
final class WebhookPayload {
  /** Alertmanager's "not ended" time (Go's zero time). */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private WebhookPayload() {}

  static Map<String, Object> of(Message m) {
    List<Map<String, Object>> alerts = m.notices().stream().map(n -> alert(n, m.externalUrl())).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", "4");
    body.put("groupKey", "{}:{app=\"" + m.app() + "\"}");
    body.put("truncatedAlerts", 0);
    body.put("status", word(m.status()));
    body.put("receiver", "berth");
    body.put("groupLabels", Map.of("app", m.app()));
    body.put("commonLabels", common(alerts, "labels"));
    body.put("commonAnnotations", common(alerts, "annotations"));
    body.put("externalURL", m.externalUrl());
    body.put("alerts", alerts);
    return body;
  }

  static String word(AlertNotice.Status s) {
    return s == AlertNotice.Status.FIRING ? "firing" : "resolved";
  }

  private static Map<String, Object> alert(AlertNotice n, String externalUrl) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", n.rule());
    labels.put("app", n.app());
    if (n.severity() != null) labels.put("severity", n.severity());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (n.summary() != null) annotations.put("summary", n.summary());
    if (n.expression() != null) annotations.put("expression", n.expression());
    annotations.put("value", Double.isFinite(n.value()) ? String.valueOf(n.value()) : "NaN");
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("status", word(n.status()));
    a.put("labels", labels);
    a.put("annotations", annotations);
    a.put("startsAt", time(n.startsAt()));
    a.put("endsAt", time(n.endsAt()));
    a.put("generatorURL", externalUrl == null || externalUrl.isEmpty() ? "" : externalUrl + "/#/apps/" + n.app());
    a.put("fingerprint", fingerprint(labels));
    return a;
  }

  private static String time(Instant t) {
    return t == null ? ZERO_TIME : t.toString();
  }

  /** The label or annotation pairs every alert has alike. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> common(List<Map<String, Object>> alerts, String field) {
    Map<String, String> out = null;
    for (Map<String, Object> a : alerts) {
      Map<String, String> m = (Map<String, String>) a.get(field);
      if (out == null) out = new LinkedHashMap<>(m);
      else out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    }
    return out == null ? Map.of() : out;
  }

  /** 16 hex digits of the labels' SHA-256: stable for one alert, as Alertmanager's fingerprint is. */
  static String fingerprint(Map<String, String> labels) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      labels.forEach((k, v) -> sha.update((k + "\u0000" + v + "\u0000").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
