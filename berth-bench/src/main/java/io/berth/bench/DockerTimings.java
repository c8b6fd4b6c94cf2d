package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code docker run -d}'s requests spend their time through Berth, read from the manager's debug timings
 * ({@code docker-request-timing}, {@code node-call-timing}, {@code node-relay-timing}): per request, the manager's
 * answer head from the request read, the node's part (the agent's two hops and the engine's work) and the rest, the
 * manager's own. Each node call is paired with its request: a create by order, a wait or a start by the container's id.
 */
final class DockerTimings {
  private static final Pattern NODE = Pattern.compile("node-(?:call|relay)-timing POST \\S*/containers/(?:([0-9a-f]{64})/)?(create|wait|start) "
      + "take=(\\d+) send=(\\d+) head=(\\d+) body=(\\d+)");
  private static final Pattern REQUEST = Pattern.compile("docker-request-timing POST \\S*/containers/(?:([0-9a-f]{64})/)?(create|wait|start) "
      + "status=\\d+ head=(-?\\d+) done=\\d+ audit=(\\d+)");
  /** The manager's container cache reading one container: an inspect beside a filtered listing. */
  private static final Pattern READ = Pattern.compile("node-call-timing GET \\S*/containers/([0-9a-f]{64})/json ");
  private static final Pattern CLOCK = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) ");
  private static final List<String> KINDS = List.of("create", "wait", "start");

  private DockerTimings() {}

  /** One line per request kind: medians in ms of the manager's answer head, the node's part and the manager's own. */
  static List<String> breakdown(Path log) throws IOException {
    Deque<Long> creates = new ArrayDeque<>();
    Map<String, Long> byId = new HashMap<>();
    Map<String, List<Double>> head = new LinkedHashMap<>();
    Map<String, List<Double>> node = new LinkedHashMap<>();
    Map<String, List<Double>> own = new LinkedHashMap<>();
    List<Double> audit = new ArrayList<>();
    // The cache's reads of each container, by the time of the line (ms of the day), and when those run through the manager started.
    Map<String, List<Long>> reads = new HashMap<>();
    Map<String, Long> started = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      Matcher read = READ.matcher(line);
      if (read.find()) reads.computeIfAbsent(read.group(1), k -> new ArrayList<>()).add(millisOfDay(line));
      Matcher n = NODE.matcher(line);
      if (n.find()) {
        if (n.group(2).equals("start")) started.put(n.group(1), millisOfDay(line));
        long micros = Long.parseLong(n.group(3)) + Long.parseLong(n.group(4)) + Long.parseLong(n.group(5)) + Long.parseLong(n.group(6));
        if (n.group(2).equals("create")) creates.add(micros);
        else byId.put(n.group(2) + n.group(1), micros);
        continue;
      }
      Matcher r = REQUEST.matcher(line);
      if (!r.find() || r.group(3).startsWith("-")) continue;
      String kind = r.group(2);
      Long nodeMicros = kind.equals("create") ? creates.poll() : byId.remove(kind + r.group(1));
      if (nodeMicros == null) continue;
      long headMicros = Long.parseLong(r.group(3));
      head.computeIfAbsent(kind, k -> new ArrayList<>()).add(headMicros / 1000.0);
      node.computeIfAbsent(kind, k -> new ArrayList<>()).add(nodeMicros / 1000.0);
      own.computeIfAbsent(kind, k -> new ArrayList<>()).add((headMicros - nodeMicros) / 1000.0);
      audit.add(Long.parseLong(r.group(4)) / 1000.0);
    }
    List<String> out = new ArrayList<>();
    for (String k : KINDS) {
      if (!head.containsKey(k)) continue;
      out.add(String.format(Locale.ROOT, "  %-7s answer head %7.1f ms = the node (agent hops + engine) %7.1f + the manager's own %5.1f  (n=%d)", k,
          median(head.get(k)), median(node.get(k)), median(own.get(k)), head.get(k).size()));
    }
    if (!started.isEmpty()) {
      // Up to a second after its start: the bench removes the containers much later, and their removal is read too.
      double each = started.entrySet().stream()
          .mapToLong(e -> reads.getOrDefault(e.getKey(), List.of()).stream().filter(t -> t <= e.getValue() + 1000).count()).average().orElse(0);
      out.add(String.format(Locale.ROOT, "  the manager's cache read each container of run -d %.1f times (an inspect and a listing each)", each));
    }
    if (!audit.isEmpty()) out.add(String.format(Locale.ROOT, "  audit hand-off after each answer %.2f ms", median(audit)));
    return out;
  }

  /** The time a log line starts with ({@code HH:mm:ss.SSS}) in ms of the day; 0 for a line without one. */
  private static long millisOfDay(String line) {
    Matcher m = CLOCK.matcher(line);
    if (!m.find()) return 0;
    return ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000 + Long.parseLong(m.group(4));
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
