package io.berth.manager.http.lean;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process's file descriptors, a resource of the whole process: when a socket cannot be opened or accepted
 * for want of one ({@code EMFILE}), whoever hit the limit asks the holders of idle connections to close some,
 * and tries once more. The manager's own idle connections to nodes go first (a later call to that node dials
 * again), then the agents' held connections idle longest (their next call opens a new one). Without it, a manager
 * at its limit refused agents' beats and every {@code docker run}, though thousands of its connections sat idle.
 */
public final class FileRoom {
  /** The one room of this process (tests run several managers in one JVM: each holder leaves when closed). */
  public static final FileRoom PROCESS = new FileRoom();
  /** The manager's idle connections to nodes: asked first. */
  public static final int POOLS = 0;
  /** Clients' idle connections to a server of the manager's: asked after the pools. */
  public static final int SERVERS = 1;

  /** Closes up to {@code max} of its idle connections; returns how many it closed. */
  @FunctionalInterface
  public interface Holder {
    int closeIdle(int max);
  }

  private record Entry(int rank, Holder holder) {}

  private final List<Entry> holders = new CopyOnWriteArrayList<>();

  /** Adds a holder of rank {@link #POOLS} or {@link #SERVERS}; the returned action takes it out again. */
  public Runnable add(int rank, Holder holder) {
    Entry e = new Entry(rank, holder);
    holders.add(e);
    return () -> holders.remove(e);
  }

  /** Asks the holders, lowest rank first, to close up to {@code max} idle connections in all; how many they closed. */
  public int make(int max) {
    int closed = 0;
    for (Entry e : holders.stream().sorted(Comparator.comparingInt(Entry::rank)).toList()) {
      if (closed >= max) break;
      closed += e.holder().closeIdle(max - closed);
    }
    return closed;
  }

  /** Whether the failure is the process (or the system) out of file descriptors. */
  public static boolean outOfFiles(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("Too many open files"); // EMFILE, and ENFILE's "... in system"
  }
}
