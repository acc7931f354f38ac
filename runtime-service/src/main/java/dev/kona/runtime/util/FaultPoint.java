package dev.kona.runtime.util;

import java.util.Locale;

/**
 * Test-only crash injection: with {@code KONA_FAULT_EXIT_AT=<operation>:<step>[:before]} in the
 * daemon's environment (or the system property {@code kona.fault.exit_at}), the process halts with
 * exit code 137 right after (or just before) that lifecycle step, with no shutdown hooks and no
 * cleanup, as a {@code kill -9} would leave it. The names are those of
 * {@code kona_lifecycle_step_seconds}. Unset (always, outside the crash-recovery suite), it does
 * nothing.
 */
public final class FaultPoint {

  public static final String ENV = "KONA_FAULT_EXIT_AT";
  public static final String PROPERTY = "kona.fault.exit_at";
  static final int EXIT_CODE = 137;

  private static final String TARGET = target();

  private FaultPoint() {}

  /** Halts the process if the configured fault point is {@code operation:step} at {@code when}. */
  static void reached(String operation, String step, When when) {
    if (TARGET == null) {
      return;
    }
    if (matches(TARGET, operation, step, when)) {
      System.err.println("kona: fault injection: halting " + when.label + " " + operation + ":" + step
          + " (" + ENV + ")");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  /** {@code target} names this point: {@code op:step:before}, {@code op:step:after} or {@code op:step} (after). */
  static boolean matches(String target, String operation, String step, When when) {
    String here = operation + ":" + step;
    return target.equals(here + ":" + when.label) || when == When.AFTER && target.equals(here);
  }

  enum When {
    BEFORE("before"),
    AFTER("after");

    final String label;

    When(String label) {
      this.label = label;
    }
  }

  private static String target() {
    String value = System.getProperty(PROPERTY, System.getenv(ENV));
    return value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
  }
}
