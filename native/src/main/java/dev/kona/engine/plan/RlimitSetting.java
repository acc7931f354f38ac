package dev.kona.engine.plan;

import java.util.List;

/** One setrlimit(2): the resource number and its soft and hard values (-1 is unlimited). */
public record RlimitSetting(int resource, long soft, long hard) {
  private static final List<String> NAMES = List.of(
      "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
      "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
      "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

  /** From the OCI name (RLIMIT_NOFILE); IllegalArgumentException for an unknown one. */
  public static RlimitSetting of(String name, long soft, long hard) {
    int resource = NAMES.indexOf(name);
    if (resource < 0) {
      throw new IllegalArgumentException("rlimit type: unknown " + name);
    }
    return new RlimitSetting(resource, soft, hard);
  }
}
