package io.berth.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** How a failed command says so: one line on stderr, never a stack trace (unless BERTH_DEBUG is set). */
final class ErrorLine {
  private ErrorLine() {}

  /** Prints {@code command: what failed} for {@code e}, and returns the exit code of a failure. */
  static int print(Exception e, String command, PrintWriter err) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof UncheckedIOException)) t = t.getCause();
    err.println(command + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    if (System.getenv("BERTH_DEBUG") != null) e.printStackTrace(err);
    return 1;
  }
}
