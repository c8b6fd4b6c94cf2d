package io.berth.agent.build;

import io.berth.cluster.wire.BuildReport;
import io.berth.cluster.wire.BuildReport.Event;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run has to tell the manager, in order: its step events not yet delivered and, once it
 * ended, its result. {@link Reports} takes batches from the front and drops them only when the
 * manager has them, so a manager that cannot be reached delays the report but loses nothing.
 * Lines are capped at {@value #MAX_LINE} bytes and a run at {@value #MAX_LINES} lines: a build that
 * prints without end must not fill the agent's memory.
 */
final class RunLog {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_LINES = 50_000;
  private final String build;
  private final int run;
  private final Clock clock;
  private final Runnable wake;
  private final List<Event> pending = new ArrayList<>(); // guarded by this
  private BuildReport.Result result; // guarded by this
  private long seq; // guarded by this: the next batch's number
  private int lines; // guarded by this

  /** {@code wake} is told when a batch is full or the run ended, so the report need not wait its interval. */
  RunLog(String build, int run, Clock clock, Runnable wake) {
    this.build = build;
    this.run = run;
    this.clock = clock;
    this.wake = wake;
  }

  String id() {
    return build + "#" + run;
  }

  void start(String step) {
    add(new Event(clock.millis(), step, Event.START, step, null, null));
  }

  /** One line of a step's output; a longer line is cut, and past the run's cap one notice says so. */
  synchronized void line(String step, String text) {
    if (lines == MAX_LINES) {
      pending.add(new Event(clock.millis(), step, Event.LOG, "(log cut: more than " + MAX_LINES + " lines)", null, null));
    }
    if (lines++ >= MAX_LINES) return;
    pending.add(new Event(clock.millis(), step, Event.LOG, cap(text), null, null));
    if (pending.size() == Reports.BATCH_LINES) wake.run();
  }

  void end(String step, String outcome, long millis, String text) {
    add(new Event(clock.millis(), step, Event.END, text, outcome, millis));
  }

  void finish(BuildReport.Result result) {
    synchronized (this) {
      this.result = result;
    }
    wake.run();
  }

  private synchronized void add(Event e) {
    pending.add(e);
  }

  /** The next batch: the first {@code max} pending events, with the result when they are the last; null when there is nothing to say. */
  synchronized BuildReport next(int max) {
    if (pending.isEmpty() && result == null) return null;
    List<Event> events = List.copyOf(pending.subList(0, Math.min(max, pending.size())));
    return new BuildReport(build, run, seq, events, events.size() == pending.size() ? result : null);
  }

  /** The manager has {@code batch}: drops its events; true when it carried the result (the run is told). */
  synchronized boolean delivered(BuildReport batch) {
    pending.subList(0, batch.events().size()).clear();
    seq++;
    return batch.result() != null;
  }

  static String cap(String text) {
    if (text.length() <= MAX_LINE / 4) return text; // at most 4 bytes a char: surely short enough
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_LINE) return text;
    String cut = new String(utf8, 0, MAX_LINE, StandardCharsets.UTF_8);
    return cut.substring(0, cut.length() - 1) + "… (line cut at " + (MAX_LINE / 1024) + " KiB)";
  }
}
