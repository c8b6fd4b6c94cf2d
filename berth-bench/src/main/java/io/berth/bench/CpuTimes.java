package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** CPU seconds from /proc: a process's own (user + system), and the whole machine's busy and idle time. */
final class CpuTimes {
  /** USER_HZ: /proc counts in ticks of 1/100 s on Linux. */
  private static final double TICK = 0.01;

  private CpuTimes() {}

  /** A process's CPU seconds so far; 0 when it is gone. */
  static double process(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK; // fields 14 and 15: utime, stime
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static double processes(List<Process> ps) {
    return ps.stream().mapToDouble(p -> process(p.pid())).sum();
  }

  /** The machine's {busy, idle} CPU seconds so far, over all cores. */
  static double[] machine() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long[] v = Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).toArray();
    long idle = v[3] + v[4]; // idle, iowait
    long all = 0;
    for (int k = 0; k < Math.min(v.length, 8); k++) all += v[k]; // guest time is already in user
    return new double[] {(all - idle) * TICK, idle * TICK};
  }
}
