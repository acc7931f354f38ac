package dev.kona.conformance.bench;

/** One line of the report: what was measured, in which unit, and which direction is better. */
record Figure(String name, String unit, double value, boolean higherIsBetter) {

  static Figure millis(String name, double value) {
    return new Figure(name, "ms", value, false);
  }

  static Figure mebibytes(String name, long bytes) {
    return new Figure(name, "MiB", bytes / 1048576.0, false);
  }

  static Figure rate(String name, String unit, double value) {
    return new Figure(name, unit, value, true);
  }

  String label() {
    return name + " (" + unit + ")";
  }
}
