package dev.kona.linux.syscall;

/**
 * What {@code waitid(2)} reported for a child: its pid, {@code si_code} (CLD_EXITED, CLD_KILLED,
 * CLD_DUMPED) and {@code si_status} (exit code, or the signal number).
 */
public record ChildExit(int pid, int code, int status) {
  public static final int CLD_EXITED = 1;
  public static final int CLD_KILLED = 2;
  public static final int CLD_DUMPED = 3;

  public boolean exited() {
    return code == CLD_EXITED;
  }

  public boolean signaled() {
    return code == CLD_KILLED || code == CLD_DUMPED;
  }

  /** The shell convention: the exit code, or 128 + signal. */
  public int exitCode() {
    return signaled() ? 128 + status : status;
  }
}
