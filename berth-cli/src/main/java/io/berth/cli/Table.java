package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A plain text table with columns padded to their widest cell, as docker's own tables. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) r[i] = String.valueOf(cells[i]);
    rows.add(r);
    return this;
  }

  /** A row for each item of a JSON array, with the cells {@code cells} makes of it. */
  Table rows(JsonNode items, Function<JsonNode, Object[]> cells) {
    for (JsonNode item : items) row(cells.apply(item));
    return this;
  }

  void print(PrintStream out) {
    PrintWriter w = new PrintWriter(out, true);
    print(w);
    w.flush();
  }

  void print(PrintWriter out) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(r[i]);
        if (i < cols - 1) line.append(" ".repeat(width[i] - r[i].length() + 3));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
