package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command that GETs one answer of the API and prints it for a person (a table, mostly), or as
 * the API's JSON when it declares and is given {@code --json}.
 */
abstract class View extends ApiCommand {
  /** The API path to GET, from the command's arguments. */
  abstract String path();

  /** Prints the answer for a person. */
  abstract void print(JsonNode answer);

  @Override
  public Integer call() {
    JsonNode answer = api().get(path());
    if (json()) printJson(answer);
    else print(answer);
    out().flush();
    return 0;
  }
}
