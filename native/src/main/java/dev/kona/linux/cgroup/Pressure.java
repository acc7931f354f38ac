package dev.kona.linux.cgroup;

/**
 * Pressure stall information of a v2 cgroup ({@code cpu.pressure}, {@code memory.pressure},
 * {@code io.pressure}): per resource, the share of time some (or all non-idle) tasks waited on it.
 * A resource whose file is missing (kernel without PSI) is null.
 */
public record Pressure(Psi cpu, Psi memory, Psi io) {

  /** The "some" and "full" lines of one pressure file; {@code full} is null where the kernel has none. */
  public record Psi(Line some, Line full) {}

  /** Averages in percent over 10 s, 60 s and 300 s, and the total stall time in microseconds. */
  public record Line(double avg10, double avg60, double avg300, long totalMicros) {}

  /** Parses a pressure file: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and a "full" line. */
  public static Psi parse(String text) {
    Line some = null;
    Line full = null;
    for (String row : text.split("\n")) {
      String[] f = row.trim().split("\\s+");
      if (f.length < 5) {
        continue;
      }
      Line line = new Line(value(f, "avg10"), value(f, "avg60"), value(f, "avg300"), (long) value(f, "total"));
      if (f[0].equals("some")) {
        some = line;
      } else if (f[0].equals("full")) {
        full = line;
      }
    }
    return some == null && full == null ? null : new Psi(some, full);
  }

  private static double value(String[] fields, String key) {
    for (String f : fields) {
      if (f.startsWith(key + "=")) {
        return Double.parseDouble(f.substring(key.length() + 1));
      }
    }
    return 0;
  }
}
