package dev.s3redirect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from {@code /proc}, in clock ticks: a process's, and the whole machine's busy time. */
final class SystemCpu {

  private SystemCpu() {}

  /** Clock ticks per second of {@code /proc} ({@code USER_HZ}): 100 on Linux. */
  static final double TICKS_PER_SECOND = 100.0;

  /** utime + stime of a {@code /proc/<pid>/stat} file, or -1 when unreadable. */
  static long processTicks(Path stat) {
    try {
      String text = Files.readString(stat);
      // The command name is in parentheses and may hold spaces: fields start after the last ')'.
      String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Busy ticks of all CPUs from {@code /proc/stat} (everything but idle and iowait), or -1. */
  static long machineBusyTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
