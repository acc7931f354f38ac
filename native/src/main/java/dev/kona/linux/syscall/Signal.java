package dev.kona.linux.syscall;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Locale;

/** Linux signals by number (x86_64/aarch64 numbering). Parses "SIGTERM", "TERM" and "15". */
public enum Signal {
  SIGHUP(1), SIGINT(2), SIGQUIT(3), SIGILL(4), SIGTRAP(5), SIGABRT(6), SIGBUS(7), SIGFPE(8),
  SIGKILL(9), SIGUSR1(10), SIGSEGV(11), SIGUSR2(12), SIGPIPE(13), SIGALRM(14), SIGTERM(15),
  SIGSTKFLT(16), SIGCHLD(17), SIGCONT(18), SIGSTOP(19), SIGTSTP(20), SIGTTIN(21), SIGTTOU(22),
  SIGURG(23), SIGXCPU(24), SIGXFSZ(25), SIGVTALRM(26), SIGPROF(27), SIGWINCH(28), SIGIO(29),
  SIGPWR(30), SIGSYS(31);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static Signal of(int number) {
    for (Signal s : values()) {
      if (s.number == number) {
        return s;
      }
    }
    throw new InvalidArgumentException("signal: expected 1..31, got " + number);
  }

  /** Reads a signal as an OCI/CRI stop signal is written: {@code SIGTERM}, {@code TERM} or {@code 15}. */
  public static Signal parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      return of(Integer.parseInt(s));
    }
    try {
      return valueOf(s.startsWith("SIG") ? s : "SIG" + s);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("signal: unknown name \"" + text + "\"", e);
    }
  }
}
