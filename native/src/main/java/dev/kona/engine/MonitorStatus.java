package dev.kona.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The status file a monitor writes (temp file + rename) at each transition: key=value lines.
 * {@code monitorStart} and {@code pidStart} are start times in clock ticks, so a recycled pid is
 * not mistaken for the monitor or the container's process.
 */
record MonitorStatus(
    String status, int monitorPid, long monitorStart, int pid, long pidStart, long created, long started, long finished,
    int exitCode, int signal, boolean oom) {

  static final String FILE = "status";

  /** The status in {@code dir}, or null if the monitor never wrote one. */
  static MonitorStatus read(Path dir) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return null;
    }
    return parse(text);
  }

  static MonitorStatus parse(String text) {
    Map<String, String> kv = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new MonitorStatus(
        kv.getOrDefault("status", "unknown"),
        (int) num(kv, "monitor_pid"),
        num(kv, "monitor_start"),
        (int) num(kv, "pid"),
        num(kv, "pid_start"),
        num(kv, "created"),
        num(kv, "started"),
        num(kv, "finished"),
        (int) num(kv, "exit_code"),
        (int) num(kv, "signal"),
        num(kv, "oom") != 0);
  }

  boolean stopped() {
    return status.equals("stopped");
  }

  /** True while the monitor process that wrote this file still runs. */
  boolean monitorAlive() {
    return monitorPid > 0 && ProcStat.startTicks(monitorPid) == monitorStart;
  }

  /** True while the container's process still runs (checked against pid reuse by start time). */
  boolean processAlive() {
    return pid > 0 && pidStart > 0 && ProcStat.startTicks(pid) == pidStart;
  }

  ExitStatus exit() {
    return new ExitStatus(exitCode, signal, oom, instant(finished));
  }

  static Instant instant(long unixNanos) {
    return unixNanos == 0 ? null : Instant.ofEpochSecond(0, unixNanos);
  }

  private static long num(Map<String, String> kv, String key) {
    String v = kv.get(key);
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
