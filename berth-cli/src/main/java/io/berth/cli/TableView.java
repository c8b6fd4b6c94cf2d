package io.berth.cli;

import picocli.CommandLine.Option;

/** A view that prints a table, or the API's JSON instead: most views, and this is their {@code --json}. */
abstract class TableView extends View {
  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;
}
