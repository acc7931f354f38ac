package dev.kona.server.check;

/**
 * One line of {@code kona check}: what was looked at, how it stands, and what was found.
 *
 * @param name a short stable name ({@code kernel}, {@code cgroup_driver}, …), also the JSON key
 * @param status ok, warn (Kona runs, something is off) or fail (a blocker)
 * @param message what was found, and for warn and fail what to do
 */
public record CheckResult(String name, Status status, String message) {

  /** Ordered by severity. */
  public enum Status {
    OK, WARN, FAIL;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static CheckResult ok(String name, String message) {
    return new CheckResult(name, Status.OK, message);
  }

  static CheckResult warn(String name, String message) {
    return new CheckResult(name, Status.WARN, message);
  }

  static CheckResult fail(String name, String message) {
    return new CheckResult(name, Status.FAIL, message);
  }
}
