package dev.kona.runtime.container;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Locale;
import java.util.Map;

/** Signal names as images write STOPSIGNAL ("SIGWINCH", "WINCH", "28") to numbers. */
public final class Signals {

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
      Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
      Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
      Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16),
      Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
      Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
      Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28),
      Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

  public static final int SIGTERM = 15;
  public static final int SIGKILL = 9;

  private Signals() {}

  /**
   * The number of a CRI stop_signal name without its SIGNAL_ prefix: "SIGUSR1", "SIGRTMINPLUS3",
   * "SIGRTMAXMINUS2" (Linux: SIGRTMIN is 34, SIGRTMAX 64, as containerd counts them).
   */
  public static int fromCri(String name) {
    String s = name.startsWith("SIG") ? name.substring(3) : name;
    if (s.startsWith("RTMINPLUS")) {
      return RTMIN + Integer.parseInt(s.substring("RTMINPLUS".length()));
    }
    if (s.startsWith("RTMAXMINUS")) {
      return RTMAX - Integer.parseInt(s.substring("RTMAXMINUS".length()));
    }
    return switch (s) {
      case "RTMIN" -> RTMIN;
      case "RTMAX" -> RTMAX;
      case "IOT" -> 6;
      case "CLD" -> 17;
      case "POLL" -> 29;
      default -> parse(s);
    };
  }

  /** The CRI stop_signal name of a number ("SIGUSR1"), the inverse of {@link #fromCri}. */
  public static String toCri(int n) {
    if (n == RTMIN) {
      return "SIGRTMIN";
    }
    if (n == RTMAX) {
      return "SIGRTMAX";
    }
    if (n > RTMIN && n <= RTMIN + 15) {
      return "SIGRTMINPLUS" + (n - RTMIN);
    }
    if (n > RTMIN + 15 && n < RTMAX) {
      return "SIGRTMAXMINUS" + (RTMAX - n);
    }
    return NUMBERS.entrySet().stream().filter(e -> e.getValue() == n).map(e -> "SIG" + e.getKey())
        .findFirst().orElse("");
  }

  private static final int RTMIN = 34;
  private static final int RTMAX = 64;

  public static int parse(String signal) {
    if (signal == null || signal.isEmpty()) {
      return SIGTERM;
    }
    String s = signal.trim().toUpperCase(Locale.ROOT);
    // At most two digits: an image's STOPSIGNAL is untrusted, and a long run of digits must be
    // refused below, not overflow the parse.
    if (!s.isEmpty() && s.length() <= 2 && s.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= 64) {
        return n;
      }
    }
    Integer n = NUMBERS.get(s.startsWith("SIG") ? s.substring(3) : s);
    if (n == null) {
      throw new InvalidArgumentException("stop signal \"" + signal + "\" is not a signal name or number");
    }
    return n;
  }
}
