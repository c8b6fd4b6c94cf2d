package io.berth.cli;

import picocli.CommandLine.Option;

/** A view whose {@code --json} needs no more words than that: the API's answer as it came. */
abstract class JsonView extends View {
  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;
}
