package io.berth.core.lrp;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Diego's rules for {@code egress_rules} (lrps.md, "egress_rules"). The rules reach core as the
 * plain maps the JSON edge decoded (the model keeps them opaque), so each value's type is checked
 * here too: a number is an {@link Integer} or {@link Long}, a flag a {@link Boolean}.
 */
final class EgressRuleChecks {
  private static final Set<String> FIELDS = Set.of("protocol", "destinations", "ports", "port_range", "icmp_info", "log");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "all");

  private EgressRuleChecks() {}

  static void check(Problems p, List<Map<String, Object>> rules) {
    for (int i = 0; i < rules.size(); i++) rule(p, "egress_rules[" + i + "]", rules.get(i));
  }

  private static void rule(Problems p, String at, Map<String, Object> rule) {
    rule.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
        .forEach(k -> p.add(at, "unknown field '" + k + "'"));
    Object protocol = rule.get("protocol");
    boolean known = protocol instanceof String s && PROTOCOLS.contains(s);
    if (protocol == null) p.add(at + ".protocol", "required: tcp, udp, icmp or all");
    else if (!known) p.add(at + ".protocol", "must be tcp, udp, icmp or all, got " + show(protocol));
    destinations(p, at + ".destinations", rule.get("destinations"));

    Object ports = rule.get("ports");
    Object range = rule.get("port_range");
    Object icmp = rule.get("icmp_info");
    Object log = rule.get("log");
    if (ports != null) ports(p, at + ".ports", ports);
    if (range != null) portRange(p, at + ".port_range", range);
    if (icmp != null) icmpInfo(p, at + ".icmp_info", icmp);
    if (log != null && !(log instanceof Boolean)) p.add(at + ".log", "must be true or false, got " + show(log));
    if (!known) return;
    switch ((String) protocol) {
      case "tcp", "udp" -> {
        if (ports == null && range == null) p.add(at, "a " + protocol + " rule needs ports or port_range");
        if (ports != null && range != null) p.add(at, "give ports or port_range, not both");
        if (icmp != null) p.add(at + ".icmp_info", "only for protocol icmp");
      }
      case "icmp" -> {
        if (icmp == null) p.add(at + ".icmp_info", "required for protocol icmp");
        if (ports != null) p.add(at + ".ports", "only for protocol tcp or udp");
        if (range != null) p.add(at + ".port_range", "only for protocol tcp or udp");
      }
      default -> {
        if (icmp != null) p.add(at + ".icmp_info", "only for protocol icmp");
        if (ports != null) p.add(at + ".ports", "only for protocol tcp or udp");
        if (range != null) p.add(at + ".port_range", "only for protocol tcp or udp");
      }
    }
    if (Boolean.TRUE.equals(log) && (protocol.equals("udp") || protocol.equals("icmp"))) {
      p.add(at + ".log", "not allowed for protocol " + protocol);
    }
  }

  private static void destinations(Problems p, String at, Object value) {
    if (value == null) {
      p.add(at, "required: a list of IP addresses, ranges (1.2.3.4-1.2.3.9) or CIDRs (10.0.0.0/8)");
      return;
    }
    if (!(value instanceof List<?> list)) {
      p.add(at, "must be a list, got " + show(value));
      return;
    }
    if (list.isEmpty()) p.add(at, "must list at least one destination");
    for (int i = 0; i < list.size(); i++) {
      Object d = list.get(i);
      if (!(d instanceof String s) || !IpRanges.isDestination(s)) {
        p.add(at + "[" + i + "]", "must be an IP address, a range (1.2.3.4-1.2.3.9) or a CIDR (10.0.0.0/8), got " + show(d));
      }
    }
  }

  private static void ports(Problems p, String at, Object value) {
    if (!(value instanceof List<?> list)) {
      p.add(at, "must be a list of ports, got " + show(value));
      return;
    }
    if (list.isEmpty()) p.add(at, "must list at least one port");
    for (int i = 0; i < list.size(); i++) port(p, at + "[" + i + "]", list.get(i));
  }

  private static void portRange(Problems p, String at, Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      p.add(at, "must be an object {\"start\": N, \"end\": N}, got " + show(value));
      return;
    }
    m.keySet().stream().filter(k -> !k.equals("start") && !k.equals("end")).map(String::valueOf).sorted()
        .forEach(k -> p.add(at, "unknown field '" + k + "'"));
    Long start = port(p, at + ".start", m.get("start"));
    Long end = port(p, at + ".end", m.get("end"));
    if (start != null && end != null && start > end) p.add(at, "start " + start + " is after end " + end);
  }

  private static void icmpInfo(Problems p, String at, Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      p.add(at, "must be an object {\"type\": N, \"code\": N}, got " + show(value));
      return;
    }
    m.keySet().stream().filter(k -> !k.equals("type") && !k.equals("code")).map(String::valueOf).sorted()
        .forEach(k -> p.add(at, "unknown field '" + k + "'"));
    Long type = integer(p, at + ".type", m.get("type"));
    if (type != null && (type < 0 || type > 255)) p.add(at + ".type", "must be between 0 and 255, got " + type);
    integer(p, at + ".code", m.get("code"));
  }

  /** The port at {@code at}, or null (with a problem recorded) when it is not one. */
  private static Long port(Problems p, String at, Object value) {
    Long n = integer(p, at, value);
    if (n == null) return null;
    if (n < 1 || n > 65535) {
      p.add(at, "must be between 1 and 65535, got " + n);
      return null;
    }
    return n;
  }

  private static Long integer(Problems p, String at, Object value) {
    if (value == null) {
      p.add(at, "required");
      return null;
    }
    if (value instanceof Integer || value instanceof Long) return ((Number) value).longValue();
    p.add(at, "must be an integer, got " + show(value));
    return null;
  }

  private static String show(Object value) {
    return value instanceof String s ? Problems.quote(s) : String.valueOf(value);
  }
}
