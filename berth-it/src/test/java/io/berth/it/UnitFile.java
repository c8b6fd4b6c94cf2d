package io.berth.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a systemd unit's {@code [Service]} section that say what runs: {@code Environment=},
 * {@code EnvironmentFile=} and {@code ExecStart=}, read from the unit as installed so that a test
 * where no systemd runs starts the very command line the unit would.
 *
 * <p>{@link #shellLine} is that command line for {@code sh}, in systemd's order: the unit's own
 * variables, then each environment file (a later assignment wins), then {@code ExecStart} with
 * {@code $VAR} split on white space and {@code ${VAR}} kept as one word, as systemd does.
 */
record UnitFile(List<String> environment, List<String> environmentFiles, String execStart) {
  private static final Pattern BRACED = Pattern.compile("\\$\\{(\\w+)}");

  /** Reads a unit's text; fails on what this reader does not model rather than running something else. */
  static UnitFile parse(String text) {
    return parse(text, null);
  }

  /** Reads a template's text as its {@code instance} ({@code %i}), as systemd loads {@code NAME@INSTANCE.service}. */
  static UnitFile parse(String text, String instance) {
    List<String> environment = new ArrayList<>();
    List<String> files = new ArrayList<>();
    String exec = null;
    String section = "";
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[")) {
        section = line;
        continue;
      }
      int eq = line.indexOf('=');
      if (!section.equals("[Service]") || eq < 0) continue;
      String key = line.substring(0, eq).strip();
      String value = instance == null ? line.substring(eq + 1).strip() : line.substring(eq + 1).strip().replace("%i", instance);
      boolean modelled = key.equals("Environment") || key.equals("EnvironmentFile") || key.equals("ExecStart");
      if (modelled && (value.contains("%") || value.contains("\"") || value.contains("'"))) {
        throw new IllegalArgumentException("unit line not modelled (specifier or quotes): " + line);
      }
      switch (key) {
        case "Environment" -> environment.addAll(List.of(value.split("\\s+")));
        case "EnvironmentFile" -> files.add(value);
        case "ExecStart" -> {
          if (exec != null) throw new IllegalArgumentException("more than one ExecStart: " + line);
          if (value.matches("^[-@:+!].*")) throw new IllegalArgumentException("ExecStart prefix not modelled: " + line);
          exec = value;
        }
        default -> { } // Restart=, KillMode=, ...: systemd's business, not the command line's
      }
    }
    if (exec == null) throw new IllegalArgumentException("the unit has no ExecStart in [Service]");
    return new UnitFile(List.copyOf(environment), List.copyOf(files), exec);
  }

  /**
   * The unit's command line for {@code sh -c}. A required environment file that is missing stops it
   * before anything starts, as systemd refuses the start; an optional one ({@code -PATH}) is skipped.
   */
  String shellLine() {
    StringBuilder sh = new StringBuilder("set -f; "); // systemd does not glob $VAR's words; sh must not either
    for (String assignment : environment) sh.append("export ").append(assignment).append("; ");
    for (String file : environmentFiles) {
      if (file.startsWith("-")) {
        String path = file.substring(1);
        sh.append("if [ -r ").append(path).append(" ]; then set -a; . ").append(path).append("; set +a; fi; ");
      } else {
        sh.append("set -a; . ").append(file).append("; set +a; ");
      }
    }
    Matcher braced = BRACED.matcher(execStart);
    return sh.append("exec ").append(braced.replaceAll("\"\\${$1}\"")).toString();
  }
}
