package io.berth.manager.console;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.app.AppLrps;
import io.berth.manager.identity.AuditEntry;
import io.berth.store.WatchEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One change the console hears of on {@code GET /v1/stream}: what kind of thing changed and its
 * name, so the page refetches what it shows of it. {@code app} is the app an instance belongs to
 * ("" for anything else). Made from one store watch event by {@link #of}, a pure function.
 */
record Change(Kind kind, String name, String app, Instant at) {
  /** The kinds the console knows; each has its own rule for who may hear of it ({@link ChangeStream#sees}). */
  enum Kind {
    APP, INSTANCE, NODE, ACTIVITY, IMAGE;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The prefixes the stream watches. */
  static final List<String> PREFIXES = List.of(Keys.APPS, Keys.APP_EVENTS, Keys.ACTUAL, Keys.NODES, Keys.HEALTH, Keys.DRAIN,
      Keys.EVENTS, Keys.AUDIT, Keys.REPOS);
  private static final Pattern APP_VERSION = Pattern.compile("^(.+)-v\\d+$");

  /** The wire shape of the event's data. */
  record Data(String kind, String name, String app, Instant at) {}

  String frame() {
    return "event: change\ndata: " + Json.MAPPER.valueToTree(new Data(kind.word(), name, app, at)) + "\n\n";
  }

  /** The changes one store event stands for (none for keys the console does not show, such as a router's report). */
  static List<Change> of(String prefix, WatchEvent e, Instant now) {
    String rest = Keys.tail(e.kv().key(), prefix);
    List<Change> out = new ArrayList<>();
    switch (prefix) {
      case Keys.APPS, Keys.APP_EVENTS -> out.add(new Change(Kind.APP, first(rest), first(rest), now));
      case Keys.ACTUAL -> {
        String guid = first(rest);
        // Only an app's instances name their app; other LRPs' (the Receptor API's) are for administrators.
        boolean appDomain = e.type() == WatchEvent.Type.DELETE || domain(e.kv().value()).equals(AppLrps.DOMAIN);
        Matcher m = APP_VERSION.matcher(guid);
        out.add(new Change(Kind.INSTANCE, rest, appDomain && m.matches() ? m.group(1) : "", now));
      }
      case Keys.NODES, Keys.HEALTH, Keys.DRAIN -> out.add(new Change(Kind.NODE, first(rest), "", now));
      case Keys.EVENTS -> out.add(new Change(Kind.ACTIVITY, rest, "", now));
      case Keys.AUDIT -> {
        out.add(new Change(Kind.ACTIVITY, "audit", "", now));
        if (e.type() == WatchEvent.Type.PUT) out.addAll(pushes(e.kv().value(), now));
      }
      case Keys.REPOS -> out.add(new Change(Kind.IMAGE, Keys.unsegment(rest), "", now));
      default -> { }
    }
    return out;
  }

  /** A push token granted (the registry's token service audits those) is the nearest the manager sees of a push. */
  private static List<Change> pushes(byte[] audit, Instant now) {
    List<Change> out = new ArrayList<>();
    AuditEntry a;
    try {
      a = Json.read(audit, AuditEntry.class);
    } catch (RuntimeException e) {
      return out;
    }
    if (!"registry token".equals(a.action()) || a.target() == null) return out;
    for (String scope : a.target().split(" ")) {
      String[] parts = scope.split(":"); // repository:NAME:pull,push
      if (parts.length == 3 && parts[0].equals("repository") && (parts[2].contains("push") || parts[2].contains("*"))) {
        out.add(new Change(Kind.IMAGE, parts[1], "", now));
      }
    }
    return out;
  }

  private static String first(String rest) {
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static String domain(byte[] actual) {
    try {
      return Json.MAPPER.readTree(actual).path("domain").asText();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
