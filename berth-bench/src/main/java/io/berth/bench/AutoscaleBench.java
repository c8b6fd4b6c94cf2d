package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code scripts/bench autoscale}: on three local engines (nodes 39-41) behind {@code berth router}
 * and Debian's nginx, the same closed-loop load ({@code wrk -t2 -c8}) on a fixed app of {@link #MIN}
 * instances, then as a step on an app autoscaled from {@link #MIN} to {@link #MAX}, then on the fixed
 * app again (the machine is shared: the two bracket it).
 * Each request burns CPU (busybox's sha256 of 2 MB in a CGI script). Measures, from the step: the
 * first new instance in the route table and answering through nginx, the target count routed, the
 * overshoot, the failed requests, the p99 of both apps, and the way back to the minimum after the
 * load within the short {@code --scale-down-window} the manager is given.
 */
final class AutoscaleBench {
  static final int MIN = 2;
  static final int MAX = 6;
  static final int CONNECTIONS = 8;
  static final int LOAD_SECONDS = 90;
  static final Duration WINDOW = Duration.ofSeconds(30);
  /** The aim: issue 21's "added capacity serving within 30 s of the load step". */
  static final double AIM_SECONDS = 30;
  /**
   * The fixed app's requests per second over this is the autoscaled app's requests_per_instance:
   * the same throughput proposes ceil(4.5) = 5 instances, a target below {@link #MAX} so that an
   * overshoot can show.
   */
  static final double RPS_SHARE = 4.5;

  private AutoscaleBench() {}

  /** An app of {@link #MIN} instances serving {@code /} (its index) and {@code /cgi-bin/burn} (CPU per request). */
  static String manifest(String name) {
    return """
        name: %s
        image: berth/busybox:1
        command:
          - /bin/sh
          - -c
          - |
            mkdir -p /www/cgi-bin
            echo $INSTANCE_INDEX > /www/index.html
            cat > /www/cgi-bin/burn <<'EOF'
            #!/bin/sh
            head -c 2000000 /dev/zero | busybox sha256sum > /dev/null
            printf 'Content-Type: text/plain\\r\\n\\r\\n%%s\\n' "$INSTANCE_INDEX"
            EOF
            busybox chmod 755 /www/cgi-bin/burn
            exec httpd -f -p 8080 -h /www
        instances: %d
        memory: 32m
        ports: [8080]
        health: {http: /, port: 8080, interval: 2s, timeout: 1s, start_timeout: 30s}
        routes: [%s.berth.local]
        """.formatted(name, MIN, name);
  }

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-as"); // short: the engines' unix sockets live under it
    try (LocalEngines engines = LocalEngines.builder().nodes(3).firstNode(39).baseDir(dir.resolve("engines")).start()) {
      List<Process> processes = new ArrayList<>();
      try {
        AppBench.Cluster c = AppBench.cluster(dir, engines.engines(), processes, List.of("--scale-down-window", WINDOW.toSeconds() + "s"), List.of());
        for (String app : List.of("fixed", "auto")) {
          AppBench.post(c, "/v1/apps", manifest(app));
          AppBench.awaitOver(c, app, "deploy " + app);
          awaitServing(c, app + ".berth.local");
        }
        String url = "http://127.0.0.1:" + c.routerPort() + "/cgi-bin/burn";
        Fixed before = fixed(c, url);
        Wrk.Result fixed = before.wrk();
        double rps = (fixed.requests() + before.probes()) / fixed.seconds() / RPS_SHARE;
        String policy = String.format(Locale.ROOT, "{\"min\": %d, \"max\": %d, \"cpu\": \"50%%\", \"requests_per_instance\": %.1f}", MIN, MAX, rps);
        AppBench.send(c, "PUT", "/v1/apps/auto/autoscale", policy);
        Thread.sleep(Duration.ofSeconds(20)); // a pass or more at rest: still MIN
        Wrk.Result auto;
        double loadEnd;
        List<ScaleTimeline.Sample> samples;
        List<String> decisions;
        try (ScaleSampler s = ScaleSampler.start(c, "auto", "auto.berth.local")) {
          auto = Wrk.start(url, "auto.berth.local", CONNECTIONS, LOAD_SECONDS).await();
          loadEnd = s.now();
          while (s.now() < loadEnd + WINDOW.toSeconds() + 150 && !atMin(s.latest())) Thread.sleep(500);
          samples = s.samples();
          decisions = decisions(c, s.step());
        }
        // The machine is shared: the fixed app once more, after, brackets how its load moved meanwhile.
        Wrk.Result fixedAfter = fixed(c, url).wrk();
        ScaleTimeline.Summary sum = ScaleTimeline.summarize(samples, MIN, loadEnd);
        print(policy, List.of(fixed, fixedAfter), auto, sum, loadEnd, decisions);
      } finally {
        AppBench.stop(processes, engines.engines());
      }
    }
  }

  /** What wrk said of the fixed app, and the probes a sampler sent beside it (the router counts both). */
  record Fixed(Wrk.Result wrk, long probes) {}

  /** The load on the fixed app, with a sampler's probes beside it as on the autoscaled app. */
  static Fixed fixed(AppBench.Cluster c, String url) throws Exception {
    try (ScaleSampler s = ScaleSampler.start(c, "fixed", "fixed.berth.local")) {
      Wrk.Result r = Wrk.start(url, "fixed.berth.local", CONNECTIONS, LOAD_SECONDS).await();
      return new Fixed(r, s.probes());
    }
  }

  /** Waits until nginx serves {@code host} (a request before would meet a domain nginx does not know yet, and fail). */
  static void awaitServing(AppBench.Cluster c, String host) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (AppBench.once(c.routerPort(), host, "/").matches("\\d+")) return;
      Thread.sleep(100);
    }
    throw new IllegalStateException(host + ": not served through nginx in 60 s");
  }

  static boolean atMin(ScaleTimeline.Sample s) {
    return s != null && s.desired() == MIN && s.routed() == MIN;
  }

  /** The autoscaler's entries in the app's activity, each with its seconds from the step. */
  static List<String> decisions(AppBench.Cluster c, Instant step) throws Exception {
    List<String> out = new ArrayList<>();
    String body = BerthJar.get(c.api(), c.data(), "/v1/apps/auto/events?limit=200");
    if (body == null) return out;
    for (JsonNode e : Json.MAPPER.readTree(body)) {
      if (!e.path("user").asText().equals("autoscaler")) continue;
      String at = e.hasNonNull("time")
          ? String.format(Locale.ROOT, "%+7.1f s", Duration.between(step, Instant.parse(e.path("time").asText())).toMillis() / 1e3) : "?";
      out.add("  " + at + "  " + e.path("message").asText());
    }
    return out;
  }

  static void print(String policy, List<Wrk.Result> fixed, Wrk.Result auto, ScaleTimeline.Summary s, double loadEnd, List<String> decisions) {
    System.out.printf("== autoscale: busybox httpd, a CGI sha256 of 2 MB per request, on 3 engines; wrk -t2 -c%d for %d s through berth router + nginx%n",
        CONNECTIONS, LOAD_SECONDS);
    System.out.printf("autoscaled app: %s (requests_per_instance: the fixed app's req/s / %.1f), --scale-down-window %ds%n",
        policy, RPS_SHARE, WINDOW.toSeconds());
    System.out.println(AppBench.header());
    System.out.println(AppBench.row("fixed, " + MIN + " instances, before", fixed.getFirst(), fixed.getFirst().seconds()));
    System.out.println(AppBench.row("autoscaled " + MIN + ".." + MAX + ", load step at 0 s", auto, auto.seconds()));
    System.out.println(AppBench.row("fixed, " + MIN + " instances, after", fixed.getLast(), fixed.getLast().seconds()));
    for (Wrk.Result f : fixed) {
      System.out.printf(Locale.ROOT, "p99 autoscaled / fixed %s: %.2fx; req/s autoscaled / fixed: %.2fx%n", f == fixed.getFirst() ? "before" : "after",
          auto.p99Millis() / f.p99Millis(), auto.perSecond() / f.perSecond());
    }
    System.out.printf("load step -> first new instance in the route table: %s; answering through nginx: %s%n",
        secs(s.firstRouted()), secs(s.firstServed()));
    System.out.printf("load step -> the target, %d instances, routed: %s%n", s.target(), secs(s.toTarget()));
    System.out.printf("most instances under the load: %d; overshoot over the target: %d%n", s.most(), s.overshoot());
    System.out.printf("load end (%.1f s) -> back to %d wanted and routed: %s (window %d s, passes every 15 s)%n",
        loadEnd, MIN, secs(s.backToMin()), WINDOW.toSeconds());
    System.out.printf("failed requests through nginx (non-2xx + socket errors; must be 0): autoscaled %d + %d, fixed %d + %d and %d + %d%n",
        auto.non2xx(), auto.socketErrors(), fixed.getFirst().non2xx(), fixed.getFirst().socketErrors(), fixed.getLast().non2xx(),
        fixed.getLast().socketErrors());
    System.out.printf("added capacity serving within %.0f s of the load step: %s%n", AIM_SECONDS,
        s.servedWithin(AIM_SECONDS) ? "met (" + secs(s.firstServed()) + ")" : "NOT met (" + secs(s.firstServed()) + ")");
    System.out.println("the autoscaler's decisions (seconds from the step):");
    decisions.forEach(System.out::println);
  }

  static String secs(OptionalDouble x) {
    return x.isPresent() ? String.format(Locale.ROOT, "%.1f s", x.getAsDouble()) : "never";
  }
}
