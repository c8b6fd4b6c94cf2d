package io.berth.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * A command line the quick path ({@link QuickViews}) answers without picocli: {@code version},
 * {@code nodes}, {@code app ls|list} and {@code lrp list|ls}, with {@code --json} and the client
 * options ({@code --api}, {@code --token}, {@code --data}; {@code --domain} for LRPs) given once
 * each, as {@code --api URL} or {@code --api=URL}. Anything else (help, a flag it does not know, a
 * value that looks like a flag, an {@code @file} argument, a word more) is left to picocli, so its
 * messages and exit codes stay picocli's.
 *
 * @param view which command: {@code version}, {@code nodes}, {@code app ls} or {@code lrp list}, as errors name it after {@code berth}
 * @param json whether {@code --json} was given
 * @param options the options' values by name ({@code --api} …), as typed
 */
record QuickLine(String view, boolean json, Map<String, String> options) {
  static final String VERSION = "version";
  static final String NODES = "nodes";
  static final String APPS = "app ls";
  static final String LRPS = "lrp list";

  /** The line {@code args} is, or null when picocli should have it. */
  static QuickLine parse(String... args) {
    if (args.length == 0) return null;
    for (String a : args) if (a.startsWith("@")) return null; // picocli reads such a word as a file of arguments
    String view;
    int from;
    if (args[0].equals(VERSION)) {
      return args.length == 1 ? new QuickLine(VERSION, false, Map.of()) : null;
    } else if (args[0].equals(NODES)) {
      view = NODES;
      from = 1;
    } else if (args.length > 1 && args[0].equals("app") && (args[1].equals("ls") || args[1].equals("list"))) {
      view = APPS;
      from = 2;
    } else if (args.length > 1 && args[0].equals("lrp") && (args[1].equals("list") || args[1].equals("ls"))) {
      view = LRPS;
      from = 2;
    } else {
      return null;
    }
    return options(view, args, from);
  }

  private static QuickLine options(String view, String[] args, int from) {
    boolean json = false;
    Map<String, String> options = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json")) {
        if (json) return null;
        json = true;
        continue;
      }
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(0, eq) : a;
      String value;
      if (eq > 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        value = args[++i];
      } else {
        return null;
      }
      boolean known = name.equals("--api") || name.equals("--token") || name.equals("--data")
          || (name.equals("--domain") && view.equals(LRPS));
      if (!known || options.put(name, value) != null) return null;
    }
    return new QuickLine(view, json, options);
  }

  String option(String name) {
    return options.get(name);
  }
}
