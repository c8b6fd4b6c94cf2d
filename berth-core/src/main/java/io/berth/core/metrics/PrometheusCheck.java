package io.berth.core.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests and the benchmark (Debian's
 * promtool comes only with the whole 96 MB prometheus package):
 * every line is a HELP, a TYPE or a sample; a family's TYPE comes once and before its samples;
 * samples of a family are together; label values are properly escaped; values parse; a series
 * appears once; histograms have +Inf buckets equal to their count.
 */
public final class PrometheusCheck {
  private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ((?:[^\\\\\\n]|\\\\\\\\|\\\\n)*)");
  private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? ([^ ]+)( -?\\d+)?");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(Inf|NaN|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");

  private PrometheusCheck() {}

  /** Throws {@link IllegalArgumentException} naming the first bad line; returns how many samples there were. */
  public static int check(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the exposition must end with a newline");
    Map<String, String> types = new HashMap<>();
    Set<String> done = new HashSet<>();
    Set<String> series = new HashSet<>();
    Map<String, Double> infBuckets = new HashMap<>();
    Map<String, Double> counts = new HashMap<>();
    String current = null;
    int samples = 0;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) continue;
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        continue;
      } else if ((m = TYPE.matcher(line)).matches()) {
        String f = m.group(1);
        if (types.containsKey(f)) throw new IllegalArgumentException("line " + n + ": second TYPE for " + f);
        types.put(f, m.group(2));
        if (current != null) done.add(current);
        current = f;
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        String family = family(name, types);
        if (family == null) throw new IllegalArgumentException("line " + n + ": sample of " + name + " without a TYPE before it");
        if (done.contains(family)) throw new IllegalArgumentException("line " + n + ": samples of " + family + " are not together");
        if (!NUMBER.matcher(m.group(4)).matches()) throw new IllegalArgumentException("line " + n + ": not a number: " + m.group(4));
        String labels = m.group(3) == null ? "" : m.group(3);
        if (!series.add(name + "{" + labels + "}")) throw new IllegalArgumentException("line " + n + ": duplicate series " + line);
        double v = Double.parseDouble(m.group(4).replace("Inf", "Infinity"));
        if (name.endsWith("_bucket") && labels.contains("le=\"+Inf\"")) {
          infBuckets.put(family + "{" + labels.replaceAll(",?le=\"\\+Inf\"", "") + "}", v);
        }
        if (name.endsWith("_count") && "histogram".equals(types.get(family))) counts.put(family + "{" + labels + "}", v);
        samples++;
      } else {
        throw new IllegalArgumentException("line " + n + ": not Prometheus text format 0.0.4: " + line);
      }
    }
    for (Map.Entry<String, Double> e : counts.entrySet()) {
      if (!e.getValue().equals(infBuckets.get(e.getKey()))) throw new IllegalArgumentException("histogram " + e.getKey() + ": +Inf bucket != count");
    }
    return samples;
  }

  private static String family(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) return sample;
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (sample.endsWith(suffix)) {
        String f = sample.substring(0, sample.length() - suffix.length());
        if ("histogram".equals(types.get(f)) || "summary".equals(types.get(f))) return f;
      }
    }
    return null;
  }
}
