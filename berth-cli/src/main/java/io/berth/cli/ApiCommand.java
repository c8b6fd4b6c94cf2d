package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** A command that calls the Berth API and prints to the command line's own writers (so tests can read them). */
abstract class ApiCommand implements Callable<Integer> {
  /** The exit code of a watch stopped by an interrupt, as a shell reports a Ctrl-C. */
  static final int INTERRUPTED = 130;

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  private ApiClient api;

  ApiClient api() {
    if (api == null) api = client.client();
    return api;
  }

  /** Closes the API client when this command made one; Main calls it when the command is done. */
  void closeApi() {
    if (api != null) api.close();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  void printJson(JsonNode node) {
    out().println(json(node));
    out().flush();
  }

  /** The API's JSON as {@code --json} prints it: indented by Jackson's default pretty printer. */
  static String json(JsonNode node) {
    return JsonTree.pretty(node);
  }

  /**
   * Whether {@code --json} was given. Each command that has the flag declares it itself, so that
   * its help says what the JSON is (the DesiredLRPs, the token …); the code that acts on it is here.
   */
  boolean json() {
    return flag("--json");
  }

  /** Whether a boolean flag the command declares was given; false for one it does not have. */
  boolean flag(String name) {
    OptionSpec flag = spec.findOption(name);
    return flag != null && Boolean.TRUE.equals(flag.getValue());
  }

  /** DELETEs {@code path}, then prints {@code line} saying what is gone: every rm and revoke. */
  int deleted(String path, String line) {
    api().delete(path);
    out().println(line);
    return 0;
  }

  /** The items of a JSON list as text, comma-separated, or "-" when there are none. */
  static String joined(JsonNode list) {
    List<String> items = new ArrayList<>();
    list.forEach(n -> items.add(n.asText()));
    return items.isEmpty() ? "-" : String.join(",", items);
  }

  /** A text field of the API's JSON, or "-" when it is empty. */
  static String text(JsonNode n, String field) {
    String s = n.path(field).asText("");
    return s.isEmpty() ? "-" : s;
  }
}
